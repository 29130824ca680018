import type { AppError } from "../../errors";
import type { CanonicalTrace } from "../../traces/model";

/** One item a parser refused, and why; the rest of the batch is kept. */
export interface RejectedItem {
  /** Where the item was: `resourceSpans[0].scopeSpans[1].spans[4]`, `line 7`, `[3]`, `observations[2]`. */
  path: string;
  reason: string;
  /** Spans lost with the item (OTLP partial success reports `rejectedSpans`). */
  spans: number;
}

export interface IngestBatch {
  traces: CanonicalTrace[];
  rejected: RejectedItem[];
  /** Spans accepted into `traces` (after dropping duplicates within the batch). */
  spanCount: number;
}

/**
 * What every parser returns; parsers never throw on bad input. `ok: false` means the whole body is
 * unusable (not JSON, not protobuf, too large): the caller throws `error`, which maps to 4xx.
 */
export type IngestResult = ({ ok: true } & IngestBatch) | { ok: false; error: AppError };

export function batchOf(traces: CanonicalTrace[], rejected: RejectedItem[]): IngestBatch {
  let spanCount = 0;
  for (const trace of traces) {
    spanCount += trace.spans.length;
  }
  return { traces, rejected, spanCount };
}

export function okResult(batch: IngestBatch): IngestResult {
  return { ok: true, ...batch };
}

export function failed(error: AppError): IngestResult {
  return { ok: false, error };
}

/** A thrown value as a short reason, for rejected items. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return typeof error === "string" ? error : "unknown error";
}
