import type { CanonicalTrace, JsonValue, TokenCounts } from "../../traces/model";
import { parseJsonExact } from "../common/exact-json";
import { asJson, asJsonObject, countOrNull, isObject, stringOrNull } from "../common/json";
import { normalizeInputMessages, normalizeOutputMessages } from "../common/message-lists";
import { batchOf, type IngestBatch, type RejectedItem } from "../common/result";
import { isoFromSeconds } from "../common/time";

/**
 * Parse an OpenAI response body keeping integers beyond 2^53 exact (as decimal strings): ids, seeds
 * and counters in the wild exceed Number.MAX_SAFE_INTEGER, and JSON.parse would round them silently.
 * @throws SyntaxError when the text is not JSON
 */
export function parseOpenAIJson(text: string): JsonValue {
  return parseJsonExact(text);
}

function tokensOf(usage: unknown): TokenCounts {
  if (!isObject(usage)) {
    return { prompt: null, completion: null, total: null };
  }
  return {
    prompt: countOrNull(usage.prompt_tokens),
    completion: countOrNull(usage.completion_tokens),
    total: countOrNull(usage.total_tokens),
  };
}

/** Stored messages may carry text only in `content_parts` (content null); both forms are read. */
function requestMessages(messages: readonly unknown[]) {
  const withText = messages.map((m) =>
    isObject(m) && (m.content === null || m.content === undefined) && Array.isArray(m.content_parts)
      ? { ...m, content: m.content_parts }
      : m,
  );
  return normalizeInputMessages(withText);
}

/**
 * One stored chat completion (`GET /v1/chat/completions` item) and its request messages
 * (`GET /v1/chat/completions/{id}/messages`) as a single-span trace. Null or absent fields are fine;
 * `content: null` with tool calls gives an assistant message with tool_calls and no text.
 */
export function traceFromOpenAICompletion(
  completion: Record<string, unknown>,
  messages: readonly unknown[],
): CanonicalTrace {
  const id = typeof completion.id === "string" ? completion.id : "";
  const metadata = asJsonObject(completion.metadata);
  const startedAt = isoFromSeconds(completion.created);
  return {
    external_id: id,
    source: "openai",
    name: "chat.completion",
    started_at: startedAt,
    ended_at: null,
    input: null,
    output: null,
    spans: [
      {
        span_id: id,
        parent_span_id: null,
        name: "chat.completion",
        kind: "LLM",
        source_kind: stringOrNull(completion.object),
        started_at: startedAt,
        ended_at: null,
        status: "OK",
        status_message: null,
        model: stringOrNull(completion.model),
        provider: "openai",
        input_messages: requestMessages(messages),
        output_messages: normalizeOutputMessages({
          choices: Array.isArray(completion.choices) ? completion.choices : [],
        }),
        tool: null,
        input: null,
        output: null,
        tokens: tokensOf(completion.usage),
        attributes: { ...asJsonObject(completion), request_messages: asJson(messages) },
        events: [],
      },
    ],
    metadata,
    tags: [],
    user_id: stringOrNull(metadata.user_id) ?? stringOrNull(completion.user),
    session_id: stringOrNull(metadata.session_id) ?? stringOrNull(metadata.conversation_id),
  };
}

export interface StoredCompletion {
  completion: unknown;
  messages?: readonly unknown[];
}

/** Several completions, each with its messages; a completion without a string id is rejected. */
export function tracesFromOpenAICompletions(items: readonly StoredCompletion[]): IngestBatch {
  const traces: CanonicalTrace[] = [];
  const rejected: RejectedItem[] = [];
  items.forEach((item, i) => {
    const completion = item.completion;
    if (!isObject(completion) || typeof completion.id !== "string" || completion.id === "") {
      rejected.push({ path: `completions[${i}]`, reason: "completion must be an object with a string id", spans: 1 });
      return;
    }
    traces.push(traceFromOpenAICompletion(completion, Array.isArray(item.messages) ? item.messages : []));
  });
  return batchOf(traces, rejected);
}
