import type { CanonicalMessage, JsonObject, SpanEvent } from "../../traces/model";
import { isObject, lookup, parseJsonLenient } from "../common/json";
import { normalizeInputMessages, normalizeOutputMessages } from "../common/message-lists";
import { normalizeMessage } from "../common/messages";

// gen_ai instrumentations that log content as span events instead of attributes:
//   gen_ai.{system,user,assistant,tool}.message  {content, tool_calls, id}     → request messages
//   gen_ai.choice                                {message: {role, content, tool_calls}, finish_reason}
//   gen_ai.content.prompt / gen_ai.content.completion {gen_ai.prompt | gen_ai.completion: JSON}

const EVENT_ROLES: Record<string, string> = {
  "gen_ai.system.message": "system",
  "gen_ai.user.message": "user",
  "gen_ai.assistant.message": "assistant",
  "gen_ai.tool.message": "tool",
};

function messageFromEvent(role: string, attrs: JsonObject): CanonicalMessage | null {
  // Content is text, or a JSON array of parts; JSON-looking text that is not parts stays text.
  const parsed = parseJsonLenient(attrs.content ?? null);
  const content = Array.isArray(parsed) ? parsed : (attrs.content ?? null);
  return normalizeMessage({
    role: typeof attrs.role === "string" ? attrs.role : role,
    content,
    tool_calls: parseJsonLenient(attrs.tool_calls ?? null),
    tool_call_id: attrs.id ?? attrs.tool_call_id,
  });
}

function choiceMessages(attrs: JsonObject): CanonicalMessage[] {
  const message = parseJsonLenient(attrs.message ?? null);
  if (isObject(message)) {
    return normalizeOutputMessages({ role: "assistant", ...message });
  }
  return normalizeOutputMessages(attrs.content ?? null);
}

export interface EventMessages {
  input: CanonicalMessage[];
  output: CanonicalMessage[];
}

/** Messages carried by span events, or empty lists when the span has none. */
export function messagesFromEvents(events: readonly SpanEvent[]): EventMessages {
  const found: EventMessages = { input: [], output: [] };
  for (const event of events) {
    const role = lookup(EVENT_ROLES, event.name);
    if (role !== undefined) {
      const message = messageFromEvent(role, event.attributes);
      found.input.push(...(message ? [message] : []));
    } else if (event.name === "gen_ai.choice") {
      found.output.push(...choiceMessages(event.attributes));
    } else if (event.name === "gen_ai.content.prompt") {
      found.input.push(...normalizeInputMessages(parseJsonLenient(event.attributes["gen_ai.prompt"] ?? null)));
    } else if (event.name === "gen_ai.content.completion") {
      found.output.push(...normalizeOutputMessages(parseJsonLenient(event.attributes["gen_ai.completion"] ?? null)));
    }
  }
  return found;
}
