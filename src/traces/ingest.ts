import type { Ctx } from "../context";
import { AppError, type ErrorCode } from "../errors";
import type { RejectedItem, UploadRequest } from "../ingest";
import { traceKey } from "./internal";
import type { IngestPrepareRequest, RefusedTrace } from "./prepare-ingest";
import {
  afterTracesStored,
  type RejectedTrace,
  type StoredTraceRef,
  type StoreTracesResult,
  type WriteTracesResult,
  writePreparedTraces,
} from "./store";

/** One refused item of a push: where it was in the request (parse) or which trace it was (storage). */
export interface IngestRejection {
  path: string | null;
  externalId: string | null;
  code: ErrorCode;
  reason: string;
  spans: number;
}

export interface IngestReport {
  stored: StoredTraceRef[];
  rejected: IngestRejection[];
}

/** Every trace of the request was too large to store: the request as a whole is refused with 413. */
function assertNotAllTooLarge(stored: StoreTracesResult): void {
  const [first] = stored.rejected;
  if (first && stored.stored.length === 0 && stored.rejected.every((r) => r.code === "PAYLOAD_TOO_LARGE")) {
    throw new AppError("PAYLOAD_TOO_LARGE", first.reason, [{ external_id: first.external_id }]);
  }
}

export interface OtlpIngestInput {
  body: Uint8Array;
  contentType: string | null;
  contentEncoding: string | null;
}

/** Rejections in the OTLP partial-success form (a path and the spans lost with it). */
export function toOtlpRejections(rejected: readonly IngestRejection[]): RejectedItem[] {
  return rejected.map((r) => ({
    path: r.path ?? `trace ${r.externalId}`,
    reason: r.path === null ? `${r.code}: ${r.reason}` : r.reason,
    spans: r.spans,
  }));
}

/**
 * A pushed body, parsed and prepared by Deps.prepareIngest (a worker thread on Node), each group of
 * traces written as it arrives, while the preparer works on the next. Items the parser refused and
 * traces storage refused are reported; the rest is stored.
 */
async function ingestPushed(ctx: Ctx, request: IngestPrepareRequest): Promise<IngestReport> {
  const decodeRejected: RejectedItem[] = [];
  const refused: RefusedTrace[] = [];
  const written: WriteTracesResult = { stored: [], rejected: [], prompts: [] };
  const spansOf = new Map<string, number>();
  for await (const event of ctx.deps.prepareIngest(request)) {
    if (event.type === "rejected") {
      decodeRejected.push(...event.items);
      continue;
    }
    refused.push(...event.refused);
    for (const draft of event.drafts) {
      spansOf.set(traceKey({ source: draft.source, external_id: draft.externalId }), draft.spans);
    }
    const part = await writePreparedTraces(ctx, event.drafts);
    written.stored.push(...part.stored);
    written.rejected.push(...part.rejected);
    written.prompts.push(...part.prompts);
  }
  await afterTracesStored(ctx, written);
  const storageRejected: (RejectedTrace & { spans?: number })[] = [...refused, ...written.rejected];
  assertNotAllTooLarge({ stored: written.stored, rejected: storageRejected });
  return {
    stored: written.stored,
    rejected: [
      ...decodeRejected.map((r) => ({ ...r, externalId: null, code: "VALIDATION_ERROR" as const })),
      ...storageRejected.map((r) => ({
        path: null,
        externalId: r.external_id,
        code: r.code,
        reason: r.reason,
        spans: r.spans ?? spansOf.get(traceKey(r)) ?? 0,
      })),
    ],
  };
}

/**
 * OTLP/HTTP export: decode (JSON or protobuf, gzip) and store. Spans the decoder refused and traces
 * storage refused are reported, the rest is stored.
 * @throws VALIDATION_ERROR (undecodable), UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE (body, or every trace).
 */
export function ingestOtlp(ctx: Ctx, input: OtlpIngestInput): Promise<IngestReport> {
  const { maxBodyBytes, maxTraceBytes } = ctx.deps.config;
  return ingestPushed(ctx, { format: "otlp", ...input, maxBytes: maxBodyBytes, maxTraceBytes });
}

/** An uploaded file: its bytes and Content-Type. */
export type UploadInput = UploadRequest;

/**
 * A file of canonical traces, JSON (one, an array, or `{traces}`) or JSONL (one per line). Bad
 * documents or lines are reported one by one and the rest is stored.
 * @throws VALIDATION_ERROR when nothing in the file is a usable trace; UNSUPPORTED_MEDIA_TYPE; PAYLOAD_TOO_LARGE.
 */
export function ingestUpload(ctx: Ctx, input: UploadInput): Promise<IngestReport> {
  return ingestPushed(ctx, { format: "upload", ...input, maxTraceBytes: ctx.deps.config.maxTraceBytes });
}
