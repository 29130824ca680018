import type { CanonicalMessage, CanonicalToolCall } from "../../traces/model";
import { isObject, lookup, parseJsonLenient, stringOrNull } from "./json";

// One normaliser for every chat-message dialect the sources send: OpenAI (tool_calls, function_call,
// content parts), LangChain (serialized `lc` constructors, {type, data} dicts, kwargs.tool_calls),
// Anthropic content blocks (tool_use / tool_result), OTel gen_ai parts (tool_call / tool_call_response).

const ROLE_ALIASES: Record<string, string> = {
  human: "user",
  humanmessage: "user",
  humanmessagechunk: "user",
  ai: "assistant",
  aimessage: "assistant",
  aimessagechunk: "assistant",
  model: "assistant",
  bot: "assistant",
  systemmessage: "system",
  toolmessage: "tool",
  function: "tool",
  functionmessage: "tool",
  ipython: "tool",
};

export function normalizeRole(raw: string): string {
  const lower = raw.toLowerCase();
  return lookup(ROLE_ALIASES, lower) ?? lower;
}

/** Text of a content value: a string, or the text parts of a parts array joined by newlines; "" is no content. */
export function contentText(raw: unknown): string | null {
  if (typeof raw === "string") {
    return raw === "" ? null : raw;
  }
  if (Array.isArray(raw)) {
    const texts = raw.map(partText).filter((t): t is string => t !== null);
    return texts.length > 0 ? texts.join("\n") : null;
  }
  if (isObject(raw)) {
    return partText(raw);
  }
  return raw === null || raw === undefined ? null : JSON.stringify(raw);
}

function partText(part: unknown): string | null {
  if (typeof part === "string") {
    return part;
  }
  if (!isObject(part)) {
    return null;
  }
  const type = part.type;
  if (type !== undefined && type !== "text" && type !== "input_text" && type !== "output_text") {
    return null;
  }
  return stringOrNull(part.text) ?? stringOrNull(part.content);
}

function toolCall(id: unknown, name: unknown, args: unknown): CanonicalToolCall | null {
  if (typeof name !== "string" || name === "") {
    return null;
  }
  return { id: typeof id === "string" && id !== "" ? id : null, name, arguments: parseJsonLenient(args ?? null) };
}

/** A tool call in any dialect: OpenAI {function:{name, arguments}}, LangChain {name, args}, gen_ai/Anthropic parts. */
function anyToolCall(raw: unknown): CanonicalToolCall | null {
  if (!isObject(raw)) {
    return null;
  }
  const fn = isObject(raw.function) ? raw.function : undefined;
  if (fn) {
    return toolCall(raw.id, fn.name, fn.arguments);
  }
  return toolCall(raw.id, raw.name, raw.arguments ?? raw.args ?? raw.input);
}

function collectToolCalls(fields: Record<string, unknown>): CanonicalToolCall[] {
  const calls: CanonicalToolCall[] = [];
  const extra = isObject(fields.additional_kwargs) ? fields.additional_kwargs : {};
  for (const list of [fields.tool_calls, extra.tool_calls]) {
    if (calls.length === 0 && Array.isArray(list)) {
      calls.push(...list.map(anyToolCall).filter((c): c is CanonicalToolCall => c !== null));
    }
  }
  const legacy = fields.function_call ?? extra.function_call;
  if (calls.length === 0 && isObject(legacy)) {
    const call = toolCall(null, legacy.name, legacy.arguments);
    calls.push(...(call ? [call] : []));
  }
  const parts = Array.isArray(fields.content) ? fields.content : Array.isArray(fields.parts) ? fields.parts : [];
  for (const part of parts) {
    if (isObject(part) && (part.type === "tool_call" || part.type === "tool_use")) {
      const call = anyToolCall(part);
      calls.push(...(call ? [call] : []));
    }
  }
  return calls;
}

/** A tool result part (gen_ai tool_call_response, Anthropic tool_result) makes the message a tool message. */
function toolResultPart(fields: Record<string, unknown>): { id: string; content: string | null } | null {
  const parts = Array.isArray(fields.content) ? fields.content : Array.isArray(fields.parts) ? fields.parts : [];
  for (const part of parts) {
    if (isObject(part) && (part.type === "tool_call_response" || part.type === "tool_result")) {
      const id = stringOrNull(part.id) ?? stringOrNull(part.tool_use_id);
      if (id !== null) {
        return { id, content: contentText(part.response ?? part.result ?? part.content ?? null) };
      }
    }
  }
  return null;
}

function fromFields(role: string, fields: Record<string, unknown>): CanonicalMessage {
  const result = toolResultPart(fields);
  const message: CanonicalMessage = {
    role: result ? "tool" : role,
    content: result ? result.content : contentText(fields.content ?? fields.parts ?? fields.text ?? null),
  };
  const calls = collectToolCalls(fields);
  if (calls.length > 0) {
    message.tool_calls = calls;
  }
  const callId = result?.id ?? stringOrNull(fields.tool_call_id);
  if (callId !== null) {
    message.tool_call_id = callId;
  }
  const name = stringOrNull(fields.name);
  if (name !== null) {
    message.name = name;
  }
  return message;
}

/** LangChain's serialized form: {lc: 1, type: "constructor", id: [..., "HumanMessage"], kwargs: {...}}. */
function fromLangChainConstructor(raw: Record<string, unknown>): CanonicalMessage | null {
  const kwargs = isObject(raw.kwargs) ? raw.kwargs : {};
  const className = Array.isArray(raw.id) ? raw.id[raw.id.length - 1] : undefined;
  const role = typeof kwargs.role === "string" ? kwargs.role : typeof className === "string" ? className : null;
  return role === null ? null : fromFields(normalizeRole(role), kwargs);
}

/** One message in any dialect, or null when `raw` is not a message. */
export function normalizeMessage(raw: unknown): CanonicalMessage | null {
  if (!isObject(raw)) {
    return null;
  }
  if (raw.lc !== undefined && Array.isArray(raw.id)) {
    return fromLangChainConstructor(raw);
  }
  if (typeof raw.type === "string" && isObject(raw.data)) {
    return fromFields(normalizeRole(raw.type), raw.data);
  }
  const role = typeof raw.role === "string" ? raw.role : typeof raw.type === "string" ? raw.type : null;
  return role === null ? null : fromFields(normalizeRole(role), raw);
}
