import type { CanonicalMessage } from "../../traces/model";
import { isObject } from "./json";
import { normalizeMessage } from "./messages";

const MAX_DEPTH = 4;

/**
 * Messages from a request-side value: an array (LangChain batches nest one more level), an object
 * with `messages`, one message, or a bare string taken as a `defaultRole` turn. Anything else: none.
 */
export function normalizeInputMessages(raw: unknown, defaultRole = "user", depth = 0): CanonicalMessage[] {
  if (depth > MAX_DEPTH) {
    return [];
  }
  if (typeof raw === "string") {
    return raw === "" ? [] : [{ role: defaultRole, content: raw }];
  }
  if (Array.isArray(raw)) {
    return raw.flatMap((item) =>
      Array.isArray(item) ? normalizeInputMessages(item, defaultRole, depth + 1) : listItem(item, defaultRole),
    );
  }
  if (isObject(raw) && Array.isArray(raw.messages)) {
    return normalizeInputMessages(raw.messages, defaultRole, depth + 1);
  }
  const message = normalizeMessage(raw);
  return message ? [message] : [];
}

function listItem(item: unknown, defaultRole: string): CanonicalMessage[] {
  if (typeof item === "string") {
    return [{ role: defaultRole, content: item }];
  }
  const message = normalizeMessage(item);
  return message ? [message] : [];
}

/**
 * Messages from a response-side value: an OpenAI completion (`choices[].message`), LangChain
 * `generations` (one more level per prompt), `{message}`, one message or a list, or a bare string
 * (the assistant's text). A role-less `{content}` is the assistant's.
 */
export function normalizeOutputMessages(raw: unknown, depth = 0): CanonicalMessage[] {
  if (depth > MAX_DEPTH || raw === null || raw === undefined) {
    return [];
  }
  if (typeof raw === "string") {
    return raw === "" ? [] : [{ role: "assistant", content: raw }];
  }
  if (Array.isArray(raw)) {
    return raw.flatMap((item) => normalizeOutputMessages(item, depth + 1));
  }
  if (!isObject(raw)) {
    return [];
  }
  if (Array.isArray(raw.choices)) {
    return raw.choices.flatMap((choice) =>
      isObject(choice) ? normalizeOutputMessages(choice.message, depth + 1) : [],
    );
  }
  if (Array.isArray(raw.generations)) {
    return normalizeOutputMessages(raw.generations, depth + 1);
  }
  if (raw.message !== undefined) {
    return normalizeOutputMessages(raw.message, depth + 1);
  }
  const message = normalizeMessage(raw);
  if (message) {
    return [message];
  }
  const text = typeof raw.text === "string" ? raw.text : typeof raw.content === "string" ? raw.content : null;
  return text === null ? [] : [{ role: "assistant", content: text }];
}
