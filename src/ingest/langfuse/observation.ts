import type { SpanKind } from "../../db/schema/enums";
import type { CanonicalSpan, JsonObject, TokenCounts } from "../../traces/model";
import { countOrNull, isObject, lookup, parseJsonLenient, stringOrNull } from "../common/json";
import { normalizeInputMessages, normalizeOutputMessages } from "../common/message-lists";
import { isoFromAny } from "../common/time";

const KINDS: Record<string, SpanKind> = {
  GENERATION: "LLM",
  AGENT: "AGENT",
  TOOL: "TOOL",
  CHAIN: "CHAIN",
  RETRIEVER: "RETRIEVER",
  EMBEDDING: "EMBEDDING",
  // Generic steps in our model; the Langfuse type stays in source_kind.
  SPAN: "CHAIN",
  EVENT: "CHAIN",
  EVALUATOR: "CHAIN",
  GUARDRAIL: "CHAIN",
};

/** A Langfuse observation with the fields we read checked; anything else stays raw. */
export interface LangfuseObservation {
  id: string;
  traceId: string | null;
  raw: Record<string, unknown>;
}

/** Check the fields an observation must have; returns a reason when it is unusable. */
export function readObservation(raw: unknown): LangfuseObservation | { reason: string } {
  if (!isObject(raw)) {
    return { reason: "observation must be an object" };
  }
  const id = typeof raw.id === "number" ? String(raw.id) : raw.id;
  if (typeof id !== "string" || id === "" || id.length > 512) {
    return { reason: "observation id must be a non-empty string" };
  }
  const traceId = stringOrNull(raw.traceId);
  return { id, traceId, raw };
}

function first(obj: Record<string, unknown>, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = countOrNull(obj[key]);
    if (value !== null) {
      return value;
    }
  }
  return null;
}

/** usageDetails (v2: {input, output, total, …}) or the deprecated usage ({input, output, total} / camelCase). */
function tokensOf(raw: Record<string, unknown>): TokenCounts {
  for (const usage of [raw.usageDetails, raw.usage]) {
    if (!isObject(usage)) {
      continue;
    }
    const tokens = {
      prompt: first(usage, ["input", "prompt_tokens", "promptTokens", "input_tokens"]),
      completion: first(usage, ["output", "completion_tokens", "completionTokens", "output_tokens"]),
      total: first(usage, ["total", "total_tokens", "totalTokens"]),
    };
    if (tokens.prompt !== null || tokens.completion !== null || tokens.total !== null) {
      return tokens;
    }
  }
  return { prompt: null, completion: null, total: null };
}

function kindOf(type: unknown): SpanKind {
  return (typeof type === "string" ? lookup(KINDS, type) : undefined) ?? "UNKNOWN";
}

/**
 * One observation as a span. Input, output and metadata arrive as JSON strings (v2 always) or objects
 * (v1); both are parsed leniently. `parentId` is decided by the caller (a missing parent makes a root).
 */
export function observationToSpan(obs: LangfuseObservation, parentId: string | null): CanonicalSpan {
  const { input: rawInput, output: rawOutput, ...rest } = obs.raw;
  const kind = kindOf(rest.type);
  const input = parseJsonLenient(rawInput ?? null);
  const output = parseJsonLenient(rawOutput ?? null);
  const metadata = parseJsonLenient(rest.metadata ?? null);
  const isError = rest.level === "ERROR";
  const name = stringOrNull(rest.name) ?? stringOrNull(rest.type) ?? "observation";
  return {
    span_id: obs.id,
    parent_span_id: parentId,
    name,
    kind,
    source_kind: stringOrNull(rest.type),
    started_at: isoFromAny(rest.startTime),
    ended_at: isoFromAny(rest.endTime),
    status: isError ? "ERROR" : "UNSET",
    status_message: stringOrNull(rest.statusMessage),
    model: stringOrNull(rest.providedModelName) ?? stringOrNull(rest.model),
    provider: null,
    input_messages: kind === "LLM" ? normalizeInputMessages(input) : [],
    output_messages: kind === "LLM" ? normalizeOutputMessages(output) : [],
    tool: kind === "TOOL" ? { name, call_id: toolCallId(metadata), arguments: input, output } : null,
    input,
    output,
    tokens: tokensOf(rest),
    attributes: { ...(rest as JsonObject), metadata },
    events: [],
  };
}

function toolCallId(metadata: unknown): string | null {
  return isObject(metadata) ? (stringOrNull(metadata.tool_call_id) ?? stringOrNull(metadata.toolCallId)) : null;
}
