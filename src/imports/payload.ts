import { z } from "zod";

/** The largest explicit `limit` a caller may ask for; there is no default cap. */
export const MAX_IMPORT_LIMIT = 1_000_000;
/** Page size upper bound over every source (Langfuse v2 observations go to 1000; the clients clamp the rest). */
export const MAX_PAGE_SIZE = 1000;
/** Where a full Langfuse or LangSmith import starts (and what a missing sync cursor means). */
export const EPOCH = "1970-01-01T00:00:00.000Z";
/** Tags and user ids per import. */
export const MAX_FILTER_VALUES = 20;

const Iso = z.iso.datetime({ offset: true });
const FilterValue = z.string().min(1).max(200);

/**
 * Where the walk starts, fixed when the job is created so every retry walks the same query.
 * Langfuse and LangSmith filter by start time: a window `[from, to)`. OpenAI lists oldest first
 * after a completion id; `until` is only the instant progress is estimated against.
 */
export const ImportStart = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("window"), from: Iso, to: Iso }),
  z.object({ kind: z.literal("after"), after: z.string().min(1).max(200).nullable(), until: Iso }),
]);
export type ImportStart = z.output<typeof ImportStart>;

/** The `import` job's metadata, written by `startTraceImport` and parsed by the runner before each run. */
export const ImportPayload = z.object({
  integration_id: z.string().min(1).max(100),
  start: ImportStart,
  tags: z.array(FilterValue).max(MAX_FILTER_VALUES).default([]),
  user_ids: z.array(FilterValue).max(MAX_FILTER_VALUES).default([]),
  /** An explicit cap chosen by the caller (null: walk to the end). */
  limit: z.number().int().min(1).max(MAX_IMPORT_LIMIT).nullable().default(null),
  page_size: z.number().int().min(1).max(MAX_PAGE_SIZE).nullable().default(null),
  import_scores_as_labels: z.boolean().default(false),
  /** Filtered imports (tags, users) see part of the source, so they never move the sync cursor. */
  moves_sync_cursor: z.boolean().default(true),
});
export type ImportPayload = z.output<typeof ImportPayload>;

export const ImportCounts = z.object({
  /** Traces created by this job. */
  imported: z.number().int().min(0),
  /** Stores that updated an existing trace (a re-import, or a Langfuse trace completed by a later page). */
  updated: z.number().int().min(0),
  /** Items the adapter or the storage refused (each logged with its reason). */
  rejected: z.number().int().min(0),
  pages: z.number().int().min(0),
  labels_imported: z.number().int().min(0),
});
export type ImportCounts = z.output<typeof ImportCounts>;

/**
 * What a run has done so far, saved in the job's `result` after every page so a retried or
 * re-claimed run resumes from the last stored page. `position` is the client's `resume`.
 */
export const ImportState = z.object({
  phase: z.enum(["traces", "scores", "done"]),
  position: z.unknown(),
  scores_page: z.number().int().min(1),
  counts: ImportCounts,
  /** Earliest trace start seen: the lower bound of the progress estimate. */
  first_at: z.string().nullable(),
  limit_reached: z.boolean(),
  /** The integration's next `sync_cursor`, known once the trace walk ends. */
  next_sync: z.record(z.string(), z.unknown()).nullable(),
});
export type ImportState = z.output<typeof ImportState>;

export function initialImportState(): ImportState {
  return {
    phase: "traces",
    position: null,
    scores_page: 1,
    counts: { imported: 0, updated: 0, rejected: 0, pages: 0, labels_imported: 0 },
    first_at: null,
    limit_reached: false,
    next_sync: null,
  };
}
