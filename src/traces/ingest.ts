import type { Ctx } from "../context";
import { AppError, type ErrorCode, validationError } from "../errors";
import { type IngestBatch, type IngestResult, parseUploadJson, parseUploadJsonl, type RejectedItem } from "../ingest";
import { traceKey } from "./internal";
import type { RefusedTrace } from "./prepare-otlp";
import {
  afterTracesStored,
  type RejectedTrace,
  type StoredTraceRef,
  type StoreTracesResult,
  storeTraces,
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

function batchOrThrow(result: IngestResult): IngestBatch {
  if (!result.ok) {
    throw result.error;
  }
  return result;
}

/** Every trace of the request was too large to store: the request as a whole is refused with 413. */
function assertNotAllTooLarge(stored: StoreTracesResult): void {
  const [first] = stored.rejected;
  if (first && stored.stored.length === 0 && stored.rejected.every((r) => r.code === "PAYLOAD_TOO_LARGE")) {
    throw new AppError("PAYLOAD_TOO_LARGE", first.reason, [{ external_id: first.external_id }]);
  }
}

async function storeBatch(ctx: Ctx, batch: IngestBatch): Promise<IngestReport> {
  const result = await storeTraces(ctx, { traces: batch.traces });
  assertNotAllTooLarge(result);
  const spansOf = new Map(batch.traces.map((t) => [traceKey(t), t.spans.length]));
  return {
    stored: result.stored,
    rejected: [
      ...batch.rejected.map((r) => ({ ...r, externalId: null, code: "VALIDATION_ERROR" as const })),
      ...result.rejected.map((r) => ({
        path: null,
        externalId: r.external_id,
        code: r.code,
        reason: r.reason,
        spans: spansOf.get(traceKey(r)) ?? 0,
      })),
    ],
  };
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
 * OTLP/HTTP export: decode (JSON or protobuf, gzip) and store. Spans the decoder refused and traces
 * storage refused are reported, the rest is stored.
 * @throws VALIDATION_ERROR (undecodable), UNSUPPORTED_MEDIA_TYPE, PAYLOAD_TOO_LARGE (body, or every trace).
 */
export async function ingestOtlp(ctx: Ctx, input: OtlpIngestInput): Promise<IngestReport> {
  const { maxBodyBytes, maxTraceBytes } = ctx.deps.config;
  const decodeRejected: RejectedItem[] = [];
  const refused: RefusedTrace[] = [];
  const written: WriteTracesResult = { stored: [], rejected: [], prompts: [] };
  const spansOf = new Map<string, number>();
  // Each group is written while the preparer (a worker thread on Node) works on the next one.
  for await (const event of ctx.deps.prepareOtlp({ ...input, maxBytes: maxBodyBytes, maxTraceBytes })) {
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

const JSONL_TYPES = new Set([
  "application/x-ndjson",
  "application/jsonl",
  "application/x-jsonlines",
  "application/jsonlines",
]);
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export interface UploadInput {
  body: Uint8Array;
  contentType: string | null;
}

/**
 * A file of canonical traces, JSON (one, an array, or `{traces}`) or JSONL (one per line). Bad
 * documents or lines are reported one by one and the rest is stored.
 * @throws VALIDATION_ERROR when nothing in the file is a usable trace; UNSUPPORTED_MEDIA_TYPE; PAYLOAD_TOO_LARGE.
 */
export async function ingestUpload(ctx: Ctx, input: UploadInput): Promise<IngestReport> {
  const mediaType = (input.contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const isJsonl = JSONL_TYPES.has(mediaType);
  if (!isJsonl && mediaType !== "application/json") {
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      `Content-Type must be application/json or application/x-ndjson (JSONL), got "${mediaType}"`,
    );
  }
  let text: string;
  try {
    text = utf8.decode(input.body);
  } catch {
    throw validationError("Upload is not valid UTF-8");
  }
  const batch = batchOrThrow(isJsonl ? parseUploadJsonl(text) : parseUploadJson(text));
  if (batch.traces.length === 0) {
    const details = batch.rejected.slice(0, 100).map((r) => ({ path: r.path, message: r.reason }));
    throw validationError("The upload holds no valid trace", details);
  }
  return storeBatch(ctx, batch);
}
