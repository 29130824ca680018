import type { ErrorCode, ErrorDetail } from "../errors";
import type { IngestPrepareEvent, IngestPrepareRequest } from "../traces/prepare-ingest";

// Messages between the host and an ingest preparation thread (ingest-threads.ts ↔ ingest-thread-worker.ts).

/** Host → thread: prepare one request (its body's buffer is transferred). */
export interface IngestThreadRequest {
  id: number;
  request: IngestPrepareRequest;
}

/** Why a request failed: an AppError's parts (bad input, answered as 4xx), or an unexpected fault. */
export type IngestThreadFailure =
  | { code: ErrorCode; message: string; details: ErrorDetail[] | undefined }
  | { fault: string };

/** Thread → host: started; then per request its events in order, then `end` or `failed`. */
export type IngestThreadReply =
  | { type: "ready" }
  | { type: "event"; id: number; event: IngestPrepareEvent }
  | { type: "end"; id: number }
  | { type: "failed"; id: number; failure: IngestThreadFailure };
