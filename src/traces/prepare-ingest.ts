import {
  type IngestResult,
  type OtlpRequest,
  parseOtlpRequest,
  parseUploadRequest,
  type RejectedItem,
  type UploadRequest,
} from "../ingest";
import { prepareTraces, rowDraftOf, type TraceRowDraft } from "./document";
import type { RejectedTrace } from "./store";

/**
 * A pushed body to turn into trace rows, with the limits that apply: an OTLP/HTTP export
 * (`POST /v1/traces`) or a file of canonical traces (`POST /api/traces/upload`).
 */
export type IngestPrepareRequest = (({ format: "otlp" } & OtlpRequest) | ({ format: "upload" } & UploadRequest)) & {
  /** Largest encoded trace stored (config.maxTraceBytes); larger ones are refused one by one. */
  maxTraceBytes: number;
};

/** A trace refused before storage (over the size limit), with the spans lost with it. */
export type RefusedTrace = RejectedTrace & { spans: number };

/**
 * What preparing a body yields, in order: the items the parser refused (once, when there are any),
 * then the traces in groups, each group ready to write while the next is prepared.
 */
export type IngestPrepareEvent =
  | { type: "rejected"; items: RejectedItem[] }
  | { type: "traces"; drafts: TraceRowDraft[]; refused: RefusedTrace[] };

/**
 * Turns pushed bodies into trace rows (Deps.prepareIngest). Inline on Workers and in tests; on the
 * Node host a worker thread runs the same {@link prepareIngestTraces}, so the event loop stays free
 * while a body decodes, and the writes of one request overlap the decoding of the next.
 * @throws AppError (400, 413, 415) when the body as a whole is unusable, before yielding anything.
 */
export type IngestPreparer = (request: IngestPrepareRequest) => AsyncIterable<IngestPrepareEvent>;

function parse(request: IngestPrepareRequest): Promise<IngestResult> | IngestResult {
  return request.format === "otlp" ? parseOtlpRequest(request) : parseUploadRequest(request);
}

// Groups are storage batches: each is one atomic write. Smaller groups would let the writer start
// sooner within a request, but every commit rewrites the same index pages; measured on 50-trace
// requests, ten-trace groups cost more in commits than they won in overlap.
const TRACES_PER_GROUP = 100;
const BYTES_PER_GROUP = 8 * 1024 * 1024;

/**
 * Decode, map, summarise, encode and hash the traces of one pushed body, yielding row drafts in
 * groups. Pure work on the request alone (no database), so it can run on any thread.
 */
export async function* prepareIngestTraces(
  request: IngestPrepareRequest,
  sha256Hex: (bytes: Uint8Array) => string,
): AsyncGenerator<IngestPrepareEvent> {
  const parsed = await parse(request);
  if (!parsed.ok) {
    throw parsed.error;
  }
  if (parsed.rejected.length > 0) {
    yield { type: "rejected", items: parsed.rejected };
  }
  let group: Extract<IngestPrepareEvent, { type: "traces" }> = { type: "traces", drafts: [], refused: [] };
  let groupBytes = 0;
  for (const trace of parsed.traces) {
    const [prepared] = prepareTraces([trace], { maxBytes: request.maxTraceBytes, sha256Hex });
    if (prepared instanceof Error) {
      const { external_id, source } = trace;
      group.refused.push({
        external_id,
        source,
        code: prepared.code,
        reason: prepared.message,
        spans: trace.spans.length,
      });
    } else if (prepared) {
      group.drafts.push(rowDraftOf(prepared));
      groupBytes += prepared.bytes;
    }
    if (group.drafts.length >= TRACES_PER_GROUP || groupBytes >= BYTES_PER_GROUP) {
      yield group;
      group = { type: "traces", drafts: [], refused: [] };
      groupBytes = 0;
    }
  }
  if (group.drafts.length > 0 || group.refused.length > 0) {
    yield group;
  }
}

/** The in-process preparer (Workers, tests, CLI). */
export function inlineIngestPreparer(sha256Hex: (bytes: Uint8Array) => string): IngestPreparer {
  return (request) => prepareIngestTraces(request, sha256Hex);
}
