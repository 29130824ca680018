import type { CanonicalMessage, CanonicalToolCall, JsonValue } from "../../traces/model";
import { parseJsonLenient } from "../common/json";
import { contentText, normalizeRole } from "../common/messages";

// Messages flattened into attributes, one key per field:
//   OpenInference  llm.input_messages.<N>.message.role / .content / .name / .tool_call_id
//                  ….message.tool_calls.<K>.tool_call.id / .function.name / .function.arguments
//                  ….message.contents.<M>.message_content.type / .text
//   gen_ai legacy  gen_ai.prompt.<N>.role / .content / .tool_call_id, gen_ai.completion.<N>.tool_calls.<K>.name …
// Indexes are sorted numerically (exporters send N=10 before N=2).

// Hot on ingest (every LLM span), so a message's tool calls and content parts get their maps only
// when it has some, and indexes already in order (the usual case) are not sorted again.
interface Draft {
  fields: Map<string, JsonValue>;
  calls: Map<number, Map<string, JsonValue>> | null;
  parts: Map<number, Map<string, JsonValue>> | null;
}

function splitIndex(rest: string): [number, string] | null {
  const dot = rest.indexOf(".");
  if (dot <= 0) {
    return null;
  }
  const index = Number(rest.slice(0, dot));
  return Number.isInteger(index) && index >= 0 ? [index, rest.slice(dot + 1)] : null;
}

function stripPrefix(text: string, prefix: string): string {
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

function subEntry(
  map: Map<number, Map<string, JsonValue>> | null,
  rest: string,
  inner: string,
  value: JsonValue,
): Map<number, Map<string, JsonValue>> | null {
  const split = splitIndex(rest);
  if (!split) {
    return map;
  }
  const [index, field] = split;
  const entries = map ?? new Map<number, Map<string, JsonValue>>();
  const entry = entries.get(index) ?? new Map<string, JsonValue>();
  entry.set(stripPrefix(stripPrefix(field, inner), "function."), value);
  entries.set(index, entry);
  return entries;
}

function addField(draft: Draft, field: string, value: JsonValue): void {
  const path = stripPrefix(field, "message.");
  if (path.startsWith("tool_calls.")) {
    draft.calls = subEntry(draft.calls, path.slice("tool_calls.".length), "tool_call.", value);
  } else if (path.startsWith("contents.")) {
    draft.parts = subEntry(draft.parts, path.slice("contents.".length), "message_content.", value);
  } else {
    draft.fields.set(path, value);
  }
}

function toolCallOf(entry: Map<string, JsonValue>): CanonicalToolCall | null {
  const name = entry.get("name");
  if (typeof name !== "string" || name === "") {
    return null;
  }
  const id = entry.get("id");
  return {
    id: typeof id === "string" && id !== "" ? id : null,
    name,
    arguments: parseJsonLenient(entry.get("arguments") ?? null),
  };
}

/** The values by ascending index. */
function sortedValues<T>(map: Map<number, T> | null): T[] {
  if (map === null) {
    return [];
  }
  const entries = [...map.entries()];
  const inOrder = entries.every(([index], i) => i === 0 || index > (entries[i - 1] as [number, T])[0]);
  return (inOrder ? entries : entries.sort((a, b) => a[0] - b[0])).map(([, v]) => v);
}

function messageOf(draft: Draft, defaultRole: string): CanonicalMessage {
  const role = draft.fields.get("role");
  const parts = sortedValues(draft.parts).map((p) => ({ type: p.get("type") ?? "text", text: p.get("text") }));
  const message: CanonicalMessage = {
    role: normalizeRole(typeof role === "string" && role !== "" ? role : defaultRole),
    content: contentText(draft.fields.get("content") ?? (parts.length > 0 ? parts : null)),
  };
  const calls = sortedValues(draft.calls)
    .map(toolCallOf)
    .filter((c): c is CanonicalToolCall => c !== null);
  if (calls.length > 0) {
    message.tool_calls = calls;
  }
  const callId = draft.fields.get("tool_call_id");
  if (typeof callId === "string" && callId !== "") {
    message.tool_call_id = callId;
  }
  const name = draft.fields.get("name");
  if (typeof name === "string" && name !== "") {
    message.name = name;
  }
  return message;
}

/** Rebuild the messages whose keys (already stripped of their prefix, e.g. `3.message.role`) are given. */
export function unflattenMessages(entries: readonly [string, JsonValue][], defaultRole: string): CanonicalMessage[] {
  if (entries.length === 0) {
    return [];
  }
  const drafts = new Map<number, Draft>();
  for (const [rest, value] of entries) {
    const split = splitIndex(rest);
    if (!split) {
      continue;
    }
    const [index, field] = split;
    let draft = drafts.get(index);
    if (!draft) {
      draft = { fields: new Map(), calls: null, parts: null };
      drafts.set(index, draft);
    }
    addField(draft, field, value);
  }
  return sortedValues(drafts).map((draft) => messageOf(draft, defaultRole));
}
