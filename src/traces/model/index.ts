// The canonical trace model: types, the trace view, summary columns, the storage codec, upserts.
export { mergeTraces } from "./merge";
export {
  assertPayloadWithinLimit,
  chunkPayload,
  DEFAULT_MAX_TRACE_BYTES,
  decodeTracePayload,
  encodeTracePayload,
  joinPayload,
  PAYLOAD_CHUNK_BYTES,
  utf8ByteLength,
} from "./payload";
export { durationMs, extentOf, findRoots, orderSpans } from "./span-tree";
export { PREVIEW_CHARS, summarizeTrace, type TraceSummary } from "./summary";
export type {
  CanonicalMessage,
  CanonicalSpan,
  CanonicalTool,
  CanonicalToolCall,
  CanonicalTrace,
  JsonObject,
  JsonValue,
  SpanEvent,
  TokenCounts,
} from "./types";
export { emptySpan } from "./types";
export { buildTraceView, type TraceView, type ViewError, type ViewSpan, type ViewToolCall } from "./view";
