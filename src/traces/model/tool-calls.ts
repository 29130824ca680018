import type { CanonicalSpan, CanonicalToolCall, JsonValue } from "./types";

/** One tool call as evals see it: what was called, with what, what came back, and whether it failed. */
export interface ViewToolCall {
  id: string | null;
  name: string;
  arguments: JsonValue;
  result: JsonValue;
  error: string | null;
  /** The TOOL span that ran it; null when the call is known only from a model's message. */
  span_id: string | null;
}

interface Entry {
  call: ViewToolCall;
  at: string | null;
  matched: boolean;
}

function fromToolSpan(span: CanonicalSpan): Entry {
  const failed = span.status === "ERROR";
  return {
    call: {
      id: span.tool?.call_id ?? null,
      name: span.tool?.name ?? span.name,
      arguments: span.tool?.arguments ?? span.input,
      result: span.tool?.output ?? span.output,
      error: failed ? (span.status_message ?? "tool failed") : null,
      span_id: span.span_id,
    },
    at: span.started_at,
    matched: false,
  };
}

/** Results carried by `role: "tool"` messages, by the call id they answer. */
function toolResultsById(spans: readonly CanonicalSpan[]): Map<string, JsonValue> {
  const results = new Map<string, JsonValue>();
  for (const span of spans) {
    for (const messages of [span.input_messages, span.output_messages]) {
      for (const message of messages) {
        if (message.role === "tool" && message.tool_call_id !== undefined && !results.has(message.tool_call_id)) {
          results.set(message.tool_call_id, message.content);
        }
      }
    }
  }
  return results;
}

function claimSpanEntry(entries: Entry[], call: CanonicalToolCall): Entry | undefined {
  const byId = call.id === null ? undefined : entries.find((e) => !e.matched && e.call.id === call.id);
  return byId ?? entries.find((e) => !e.matched && e.call.name === call.name && e.call.span_id !== null);
}

/**
 * Every tool call in a trace, once, in time order. TOOL spans are the calls that ran; a call a model
 * requested (in an output message) is matched to its TOOL span by id, else by name, and only calls
 * with no span are added from messages, with their result from the answering tool message.
 * Input messages are history and are not counted.
 */
export function collectToolCalls(orderedSpans: readonly CanonicalSpan[]): ViewToolCall[] {
  const entries = orderedSpans.filter((s) => s.kind === "TOOL").map(fromToolSpan);
  const results = toolResultsById(orderedSpans);
  for (const span of orderedSpans) {
    for (const message of span.output_messages) {
      for (const call of message.tool_calls ?? []) {
        const entry = claimSpanEntry(entries, call);
        if (entry) {
          entry.matched = true;
          entry.call.id ??= call.id;
          continue;
        }
        const result = call.id === null ? null : (results.get(call.id) ?? null);
        const at = span.ended_at ?? span.started_at;
        entries.push({ call: { ...call, result, error: null, span_id: null }, at, matched: true });
      }
    }
  }
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => compareAt(a.entry.at, b.entry.at) || a.index - b.index)
    .map(({ entry }) => entry.call);
}

function compareAt(a: string | null, b: string | null): number {
  if (a === b) {
    return 0;
  }
  if (a === null) {
    return 1;
  }
  if (b === null) {
    return -1;
  }
  return a < b ? -1 : 1;
}
