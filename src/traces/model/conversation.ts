import type { CanonicalMessage, CanonicalSpan } from "./types";

/** Equal for equal messages, distinct otherwise: each part but the last is length-prefixed, so none can run into the next. */
function messageKey(message: CanonicalMessage): string {
  const calls = message.tool_calls ? JSON.stringify(message.tool_calls.map((call) => [call.id, call.name])) : "";
  const callId = message.tool_call_id ?? null;
  const head = `${message.role.length}:${message.role}${callId === null ? "-" : `${callId.length}:${callId}`}${calls.length}:${calls}`;
  return message.content === null ? `${head}n` : `${head}s${message.content}`;
}

/**
 * The conversation across a trace's spans, in span order. Each LLM call usually resends the whole
 * history, so a message is appended only when a span holds more copies of it than were already
 * taken: accumulated histories collapse into one thread, while a message that really repeats
 * ("yes" twice) survives, and independent calls (sub-agents) are appended after.
 */
export function mergeConversation(orderedSpans: readonly CanonicalSpan[]): CanonicalMessage[] {
  const taken = new Map<string, number>();
  const conversation: CanonicalMessage[] = [];
  for (const span of orderedSpans) {
    if (span.input_messages.length === 0 && span.output_messages.length === 0) {
      continue;
    }
    const seenInSpan = new Map<string, number>();
    for (const messages of [span.input_messages, span.output_messages]) {
      for (const message of messages) {
        const key = messageKey(message);
        const count = (seenInSpan.get(key) ?? 0) + 1;
        seenInSpan.set(key, count);
        if (count > (taken.get(key) ?? 0)) {
          taken.set(key, count);
          conversation.push(message);
        }
      }
    }
  }
  return conversation;
}

const SYSTEM_ROLES = new Set(["system", "developer"]);

export function firstMessageWithRole(messages: readonly CanonicalMessage[], roles: Set<string>): string | null {
  for (const message of messages) {
    if (roles.has(message.role) && message.content) {
      return message.content;
    }
  }
  return null;
}

export function lastMessageWithRole(messages: readonly CanonicalMessage[], roles: Set<string>): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message && roles.has(message.role) && message.content) {
      return message.content;
    }
  }
  return null;
}

export const USER_ROLES = new Set(["user", "human"]);
export const ASSISTANT_ROLES = new Set(["assistant", "ai", "model"]);
export { SYSTEM_ROLES };
