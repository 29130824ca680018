import type { SpanKind, SpanStatus, TraceSource } from "../../db/schema/enums";
import {
  ASSISTANT_ROLES,
  firstMessageWithRole,
  lastMessageWithRole,
  mergeConversation,
  USER_ROLES,
} from "./conversation";
import { durationMs, extentOf, findRoots, orderSpans, valueToText } from "./span-tree";
import { countTraceTokens, hasTokens, type TokenTotals } from "./tokens";
import { collectToolCalls, type ViewToolCall } from "./tool-calls";
import type { CanonicalMessage, CanonicalSpan, CanonicalTrace, JsonObject, JsonValue, TokenCounts } from "./types";

export type { ViewToolCall } from "./tool-calls";

export interface ViewError {
  span_id: string;
  span_name: string;
  kind: SpanKind;
  message: string;
}

export interface ViewSpan {
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: SpanKind;
  status: SpanStatus;
  status_message: string | null;
  started_at: string | null;
  ended_at: string | null;
  duration_ms: number | null;
  model: string | null;
  tokens: TokenCounts | null;
}

/** The one documented view of a trace that evals and every consumer read (src/traces/model/README.md). */
export interface TraceView {
  id: string;
  source: TraceSource;
  name: string | null;
  started_at: string | null;
  input: JsonValue;
  output: JsonValue;
  messages: CanonicalMessage[];
  tool_calls: ViewToolCall[];
  errors: ViewError[];
  spans: ViewSpan[];
  duration_ms: number | null;
  tokens: TokenTotals;
  metadata: JsonObject;
  tags: string[];
  user_id: string | null;
  session_id: string | null;
  model: string | null;
}

/** Root extent: earliest root start to latest root end, else the extent of all spans, else the trace's own times. */
export function traceDurationMs(trace: CanonicalTrace, roots: readonly CanonicalSpan[]): number | null {
  for (const spans of [roots, trace.spans]) {
    const { startedAt, endedAt } = extentOf(spans);
    const ms = durationMs(startedAt, endedAt);
    if (ms !== null) {
      return ms;
    }
  }
  return durationMs(trace.started_at, trace.ended_at);
}

export function firstModel(ordered: readonly CanonicalSpan[]): string | null {
  const llm = ordered.find((s) => s.kind === "LLM" && s.model !== null);
  return (llm ?? ordered.find((s) => s.model !== null))?.model ?? null;
}

function toViewSpan(span: CanonicalSpan): ViewSpan {
  return {
    span_id: span.span_id,
    parent_span_id: span.parent_span_id,
    name: span.name,
    kind: span.kind,
    status: span.status,
    status_message: span.status_message,
    started_at: span.started_at,
    ended_at: span.ended_at,
    duration_ms: durationMs(span.started_at, span.ended_at),
    model: span.model,
    tokens: hasTokens(span.tokens) ? span.tokens : null,
  };
}

function errorMessage(span: CanonicalSpan): string {
  if (span.status_message) {
    return span.status_message;
  }
  // OTel records exceptions as span events; their message is the most useful text when the status has none.
  const exception = span.events.find((e) => e.name === "exception");
  const text = exception?.attributes["exception.message"];
  return typeof text === "string" && text !== "" ? text : "error";
}

/** Trace input/output: the trace's own, else the roots', else the conversation's first user / last assistant text. */
function endpoints(trace: CanonicalTrace, roots: readonly CanonicalSpan[], messages: readonly CanonicalMessage[]) {
  const rootInput = roots.find((s) => s.input !== null)?.input ?? null;
  const rootOutput = roots.findLast((s) => s.output !== null)?.output ?? null;
  return {
    input: trace.input ?? rootInput ?? firstMessageWithRole(messages, USER_ROLES),
    output: trace.output ?? rootOutput ?? lastMessageWithRole(messages, ASSISTANT_ROLES),
  };
}

/** A conversation for traces whose spans carry no messages: the input as the user turn, the output as the reply. */
function synthesizedMessages(input: JsonValue, output: JsonValue): CanonicalMessage[] {
  const messages: CanonicalMessage[] = [];
  const inputText = valueToText(input);
  const outputText = valueToText(output);
  if (inputText !== null) {
    messages.push({ role: "user", content: inputText });
  }
  if (outputText !== null) {
    messages.push({ role: "assistant", content: outputText });
  }
  return messages;
}

/** What the view and the summary columns both derive first: spans in order, roots, conversation, endpoints. */
export interface TraceBasics {
  ordered: CanonicalSpan[];
  roots: CanonicalSpan[];
  conversation: CanonicalMessage[];
  input: JsonValue;
  output: JsonValue;
}

export function traceBasics(trace: CanonicalTrace): TraceBasics {
  const ordered = orderSpans(trace.spans);
  const roots = findRoots(ordered);
  const conversation = mergeConversation(ordered);
  return { ordered, roots, conversation, ...endpoints(trace, roots, conversation) };
}

/** Build THE trace view. `id` is the stored trace id when there is one; the external id otherwise. */
export function buildTraceView(trace: CanonicalTrace, id: string = trace.external_id): TraceView {
  const { ordered, roots, conversation, input, output } = traceBasics(trace);
  return {
    id,
    source: trace.source,
    name: trace.name,
    started_at: trace.started_at ?? extentOf(ordered).startedAt,
    input,
    output,
    messages: conversation.length > 0 ? conversation : synthesizedMessages(input, output),
    tool_calls: collectToolCalls(ordered),
    errors: ordered
      .filter((s) => s.status === "ERROR")
      .map((s) => ({ span_id: s.span_id, span_name: s.name, kind: s.kind, message: errorMessage(s) })),
    spans: ordered.map(toViewSpan),
    duration_ms: traceDurationMs(trace, roots),
    tokens: countTraceTokens(ordered),
    metadata: trace.metadata,
    tags: trace.tags,
    user_id: trace.user_id,
    session_id: trace.session_id,
    model: firstModel(ordered),
  };
}
