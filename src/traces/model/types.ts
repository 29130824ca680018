import type { SpanKind, SpanStatus, TraceSource } from "../../db/schema/enums";

/** Any value JSON can carry. Integers beyond 2^53 arrive as decimal strings (see src/ingest/README.md). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A tool invocation requested by a model inside a message. */
export interface CanonicalToolCall {
  id: string | null;
  name: string;
  /** Parsed JSON when the source sent a JSON string that parses; the raw string otherwise. */
  arguments: JsonValue;
}

/** One chat message, whatever the source's format (OpenAI, OpenInference, gen_ai, LangChain, Langfuse). */
export interface CanonicalMessage {
  role: string;
  /** Text content; multi-part content is joined with newlines. Null when the message has none (tool calls only). */
  content: string | null;
  tool_calls?: CanonicalToolCall[];
  /** On `role: "tool"` messages: the call this message answers. */
  tool_call_id?: string;
  name?: string;
}

/** What a TOOL span ran. */
export interface CanonicalTool {
  name: string;
  /** The tool call id when the source recorded one (links it to a model's tool call). */
  call_id: string | null;
  arguments: JsonValue;
  output: JsonValue;
}

/** Token counts as the source reported them; null when absent. `total` is not forced to prompt + completion. */
export interface TokenCounts {
  prompt: number | null;
  completion: number | null;
  total: number | null;
}

export interface SpanEvent {
  name: string;
  /** ISO-8601 UTC with milliseconds, or null when the source gave no time. */
  at: string | null;
  attributes: JsonObject;
}

/** One step of a trace, OpenInference-style. Times are ISO-8601 UTC with milliseconds. */
export interface CanonicalSpan {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: SpanKind;
  /** The kind as the source named it (OTel `CLIENT`, Langfuse `GENERATION`, LangSmith `llm`), kept for debugging. */
  source_kind: string | null;
  started_at: string | null;
  ended_at: string | null;
  status: SpanStatus;
  status_message: string | null;
  model: string | null;
  provider: string | null;
  input_messages: CanonicalMessage[];
  output_messages: CanonicalMessage[];
  tool: CanonicalTool | null;
  input: JsonValue;
  output: JsonValue;
  tokens: TokenCounts;
  /** The source's own attributes / fields, unmodified, so nothing is lost in mapping. */
  attributes: JsonObject;
  events: SpanEvent[];
}

/** One trace from any source: the single model every feature reads (through `buildTraceView`). */
export interface CanonicalTrace {
  /** The id the source uses (OTLP trace id as lower hex, Langfuse trace id, LangSmith trace uuid, OpenAI completion id). */
  external_id: string;
  source: TraceSource;
  name: string | null;
  started_at: string | null;
  ended_at: string | null;
  /** Trace-level input and output when the source records them apart from spans (Langfuse traces). */
  input: JsonValue;
  output: JsonValue;
  spans: CanonicalSpan[];
  metadata: JsonObject;
  tags: string[];
  user_id: string | null;
  session_id: string | null;
}

/** A span with every optional part empty; adapters fill what their source has. */
export function emptySpan(spanId: string, name: string): CanonicalSpan {
  return {
    span_id: spanId,
    parent_span_id: null,
    name,
    kind: "UNKNOWN",
    source_kind: null,
    started_at: null,
    ended_at: null,
    status: "UNSET",
    status_message: null,
    model: null,
    provider: null,
    input_messages: [],
    output_messages: [],
    tool: null,
    input: null,
    output: null,
    tokens: { prompt: null, completion: null, total: null },
    attributes: {},
    events: [],
  };
}
