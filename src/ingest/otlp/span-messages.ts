import type { SpanKind } from "../../db/schema/enums";
import type { CanonicalMessage, JsonObject, JsonValue, SpanEvent } from "../../traces/model";
import { parseJsonLenient } from "../common/json";
import { normalizeInputMessages, normalizeOutputMessages } from "../common/message-lists";
import { contentText } from "../common/messages";
import { messagesFromEvents } from "./event-messages";
import { unflattenMessages } from "./flattened-messages";

const FLATTENED = [
  ["llm.input_messages.", 0],
  ["llm.output_messages.", 1],
  ["gen_ai.prompt.", 2],
  ["gen_ai.completion.", 3],
] as const;

type Buckets = [[string, JsonValue][], [string, JsonValue][], [string, JsonValue][], [string, JsonValue][]];

/** One pass over the keys, collecting flattened message keys (prefix stripped) by dialect and side. */
function bucketFlattened(attrs: JsonObject): Buckets {
  const buckets: Buckets = [[], [], [], []];
  for (const key in attrs) {
    const first = key.charCodeAt(0);
    if (first !== 0x6c && first !== 0x67) {
      continue; // neither "l…" nor "g…": cheap skip for the common case
    }
    for (const [prefix, slot] of FLATTENED) {
      if (key.startsWith(prefix)) {
        buckets[slot].push([key.slice(prefix.length), attrs[key] ?? null]);
        break;
      }
    }
  }
  return buckets;
}

function structured(attrs: JsonObject, key: string): JsonValue | undefined {
  const value = attrs[key];
  return value === undefined ? undefined : parseJsonLenient(value);
}

function withSystemInstructions(attrs: JsonObject, messages: CanonicalMessage[]): CanonicalMessage[] {
  const instructions = structured(attrs, "gen_ai.system_instructions");
  const text = instructions === undefined ? null : contentText(instructions);
  if (text === null || messages.some((m) => m.role === "system")) {
    return messages;
  }
  return [{ role: "system", content: text }, ...messages];
}

export interface SpanMessageSources {
  attrs: JsonObject;
  events: readonly SpanEvent[];
  kind: SpanKind;
  input: JsonValue;
  output: JsonValue;
}

/**
 * A span's request and response messages, from the first dialect that has any: OpenInference flattened
 * keys, gen_ai flattened keys, gen_ai.input/output.messages JSON, gen_ai span events, and last, for LLM
 * spans, `input.value` / `output.value` holding a chat request or response.
 */
export function spanMessages(src: SpanMessageSources): { input: CanonicalMessage[]; output: CanonicalMessage[] } {
  const [oiIn, oiOut, gaIn, gaOut] = bucketFlattened(src.attrs);
  const events = src.events.length > 0 ? messagesFromEvents(src.events) : null;
  const isLlm = src.kind === "LLM";
  // Written out rather than as a list of candidate closures: this runs for every span on ingest.
  let input = unflattenMessages(oiIn, "user");
  if (input.length === 0) {
    input = unflattenMessages(gaIn, "user");
  }
  if (input.length === 0) {
    input = normalizeInputMessages(structured(src.attrs, "gen_ai.input.messages") ?? null);
  }
  if (input.length === 0 && events !== null) {
    input = events.input;
  }
  if (input.length === 0 && isLlm) {
    input = normalizeInputMessages(src.input);
  }
  let output = unflattenMessages(oiOut, "assistant");
  if (output.length === 0) {
    output = unflattenMessages(gaOut, "assistant");
  }
  if (output.length === 0) {
    output = normalizeOutputMessages(structured(src.attrs, "gen_ai.output.messages") ?? null);
  }
  if (output.length === 0 && events !== null) {
    output = events.output;
  }
  if (output.length === 0 && isLlm) {
    output = normalizeOutputMessages(src.output);
  }
  return { input: withSystemInstructions(src.attrs, input), output };
}
