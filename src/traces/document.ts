import type { NewTrace } from "../db/schema";
import type { TraceSource } from "../db/schema/enums";
import { AppError } from "../errors";
import {
  assertPayloadWithinLimit,
  type CanonicalTrace,
  decodeTracePayload,
  encodeTracePayload,
  PAYLOAD_CHUNK_BYTES,
  summarizeTrace,
  type TraceSummary,
} from "./model";

/** A trace ready to write: its exact stored text as UTF-8, cut into D1-sized chunks, with size, hash and summary. */
export interface PreparedTrace {
  trace: CanonicalTrace;
  chunks: Uint8Array[];
  bytes: number;
  sha256: string;
  summary: TraceSummary;
}

const utf8 = new TextEncoder();
// Reused across traces: encodeInto fills it without allocating, the hash reads it in place, and only
// the chunks the database keeps are copied out. Safe to share: it is used synchronously, start to end.
// It grows to fit ordinary traces; a rare huge one gets a buffer of its own rather than pinning one.
let scratch = new Uint8Array(1024 * 1024);
const MAX_KEPT_SCRATCH_BYTES = 8 * 1024 * 1024;

/**
 * Cuts UTF-8 bytes into pieces of at most PAYLOAD_CHUNK_BYTES, never inside a character (a piece never
 * starts on a continuation byte), so each piece is valid UTF-8 text on its own. The pieces are copies
 * (drivers may bind a view's whole underlying buffer, and `bytes` may be the shared scratch buffer):
 * the database stores exactly the bytes that were hashed, without encoding the text a second time.
 */
export function chunkUtf8(bytes: Uint8Array, maxBytes: number = PAYLOAD_CHUNK_BYTES): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let start = 0;
  while (bytes.length - start > maxBytes) {
    let end = start + maxBytes;
    while (((bytes[end] ?? 0) & 0xc0) === 0x80) {
      end--;
    }
    chunks.push(bytes.slice(start, end));
    start = end;
  }
  chunks.push(bytes.slice(start));
  return chunks;
}

/** The UTF-8 of `text` in the scratch buffer (valid until the next call). */
function encodeToScratch(text: string): Uint8Array {
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  const worstCase = text.length * 3;
  if (worstCase > MAX_KEPT_SCRATCH_BYTES) {
    return utf8.encode(text);
  }
  if (scratch.length < worstCase) {
    scratch = new Uint8Array(worstCase);
  }
  return scratch.subarray(0, utf8.encodeInto(text, scratch).written);
}

/** The stored text's chunks, size and digest, or the PAYLOAD_TOO_LARGE AppError. */
function encodeTrace(
  trace: CanonicalTrace,
  options: PrepareOptions,
): Pick<PreparedTrace, "chunks" | "bytes" | "sha256"> | AppError {
  const text = encodeTracePayload(trace);
  try {
    assertPayloadWithinLimit(text, options.maxBytes);
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  const bytes = encodeToScratch(text);
  return { chunks: chunkUtf8(bytes), bytes: bytes.length, sha256: options.sha256Hex(bytes) };
}

export interface PrepareOptions {
  /** Largest encoded trace accepted (config.maxTraceBytes). */
  maxBytes: number;
  sha256Hex: (bytes: Uint8Array) => string;
}

/**
 * Encode, size-check, hash and summarise traces, in input order.
 * @returns per trace the prepared trace, or the PAYLOAD_TOO_LARGE AppError when it is over `maxBytes`.
 */
export function prepareTraces(
  traces: readonly CanonicalTrace[],
  options: PrepareOptions,
): (PreparedTrace | AppError)[] {
  return traces.map((trace) => {
    const encoded = encodeTrace(trace, options);
    return encoded instanceof AppError ? encoded : { trace, ...encoded, summary: summarizeTrace(trace) };
  });
}

// The summary columns share a D1 row (2 MB) with nothing else, but sources can send anything: a
// multi-megabyte "session id" or system prompt must not make the row unwritable. The full values
// stay in the payload; the columns are for lists, filters and template matching.
const MAX_COLUMN_CHARS = 1024;
const MAX_SYSTEM_PROMPT_CHARS = 256 * 1024;
const MAX_JSON_COLUMN_CHARS = 64 * 1024;

function clip(value: string | null, max = MAX_COLUMN_CHARS): string | null {
  return value !== null && value.length > max ? value.slice(0, max) : value;
}

function boundedTags(tags: readonly string[]): string[] {
  const kept: string[] = [];
  let size = 2;
  for (const tag of tags) {
    size += tag.length + 3;
    if (size > MAX_JSON_COLUMN_CHARS) {
      break;
    }
    kept.push(tag);
  }
  return kept;
}

/** The trace's metadata for the column, or null when it is too large to share a row (it stays in the payload). */
function boundedMetadata(metadata: CanonicalTrace["metadata"]): CanonicalTrace["metadata"] | null {
  return JSON.stringify(metadata).length <= MAX_JSON_COLUMN_CHARS ? metadata : null;
}

/** The `system_prompt` column of a prepared trace, as written (template matching reads it). */
export function systemPromptColumn({ summary: s }: PreparedTrace): string | null {
  // Over the cap a prompt is left out rather than cut: a cut prompt would match the wrong template.
  return s.system_prompt !== null && s.system_prompt.length > MAX_SYSTEM_PROMPT_CHARS ? null : s.system_prompt;
}

export type TraceColumns = Omit<NewTrace, "id" | "workspaceId" | "source" | "externalId" | "importedAt">;

/**
 * A new trace row as plain data, ready to INSERT: its derived columns (but the write time) and its
 * payload chunks. A worker thread can build it and send it (the chunks are transferable).
 */
export interface TraceRowDraft {
  source: TraceSource;
  externalId: string;
  columns: Omit<TraceColumns, "updatedAt">;
  chunks: Uint8Array[];
  sha256: string;
  /** Spans in the trace, for rejection reports. */
  spans: number;
}

export function rowDraftOf(p: PreparedTrace): TraceRowDraft {
  return {
    source: p.trace.source,
    externalId: p.trace.external_id,
    columns: derivedColumns(p),
    chunks: p.chunks,
    sha256: p.sha256,
    spans: p.trace.spans.length,
  };
}

const utf8Strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The document a draft was prepared from, read back from its payload (to merge it into a stored trace). */
export function traceOfDraft(draft: TraceRowDraft): CanonicalTrace {
  // Chunks end on character boundaries (chunkUtf8), so each decodes on its own.
  return decodeTracePayload(draft.chunks.map((c) => utf8Strict.decode(c)).join(""));
}

/** The derived columns of a trace row: written on insert and on every re-import. */
export function traceColumns(p: PreparedTrace, updatedAt: string): TraceColumns {
  return { ...derivedColumns(p), updatedAt };
}

function derivedColumns(p: PreparedTrace): Omit<TraceColumns, "updatedAt"> {
  const { trace, summary: s } = p;
  return {
    name: clip(trace.name),
    startedAt: trace.started_at,
    endedAt: trace.ended_at,
    inputPreview: s.input_preview,
    outputPreview: s.output_preview,
    systemPrompt: systemPromptColumn(p),
    spanCount: s.span_count,
    llmCallCount: s.llm_call_count,
    toolCallCount: s.tool_call_count,
    promptTokens: s.prompt_tokens,
    completionTokens: s.completion_tokens,
    totalTokens: s.total_tokens,
    totalDurationMs: s.total_duration_ms,
    hasErrors: s.has_errors,
    model: clip(s.model),
    userId: clip(trace.user_id),
    sessionId: clip(trace.session_id),
    tags: boundedTags(trace.tags),
    metadata: boundedMetadata(trace.metadata),
    payloadBytes: p.bytes,
    payloadSha256: p.sha256,
  };
}
