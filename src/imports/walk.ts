import type { RejectedItem } from "../ingest";
import type { CanonicalTrace } from "../traces/model";

/** One source page mapped to canonical traces, and where to resume once it is stored. */
export interface MappedPage {
  traces: CanonicalTrace[];
  /** Items the adapter refused (the rest of the page is kept). */
  rejected: RejectedItem[];
  /** The position to save after storing this page; null when the walk has ended. */
  position: unknown;
  done: boolean;
}

/**
 * Every page of one import from `from` (a saved position, or null for the start). Positions are
 * validated by the walk itself: one it cannot read starts over (storage upserts, nothing doubles).
 */
export type PageWalk = (from: unknown) => AsyncGenerator<MappedPage>;
