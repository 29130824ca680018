import type { ErrorCode, ErrorDetail } from "../errors";
import type { OtlpPrepareEvent, OtlpPrepareRequest } from "../traces/prepare-otlp";

// Messages between the host and an OTLP preparation thread (otlp-threads.ts ↔ otlp-thread-worker.ts).

/** Host → thread: prepare one request (its body's buffer is transferred). */
export interface OtlpThreadRequest {
  id: number;
  request: OtlpPrepareRequest;
}

/** Why a request failed: an AppError's parts (bad input, answered as 4xx), or an unexpected fault. */
export type OtlpThreadFailure =
  | { code: ErrorCode; message: string; details: ErrorDetail[] | undefined }
  | { fault: string };

/** Thread → host: started; then per request its events in order, then `end` or `failed`. */
export type OtlpThreadReply =
  | { type: "ready" }
  | { type: "event"; id: number; event: OtlpPrepareEvent }
  | { type: "end"; id: number }
  | { type: "failed"; id: number; failure: OtlpThreadFailure };
