import type { SpanKind } from "../../db/schema/enums";
import type { CanonicalTool, JsonObject, JsonValue, TokenCounts } from "../../traces/model";
import { countOrNull, lookup, parseJsonLenient, stringOrNull } from "../common/json";

// Semantic conventions read from span attributes: OpenInference first (it is the richer, stable
// spec), then OTel gen_ai (status "Development"), then OpenLLMetry's older names.

const OPENINFERENCE_KINDS: Record<string, SpanKind> = {
  LLM: "LLM",
  TOOL: "TOOL",
  AGENT: "AGENT",
  CHAIN: "CHAIN",
  RETRIEVER: "RETRIEVER",
  EMBEDDING: "EMBEDDING",
  RERANKER: "RERANKER",
  // Kinds our model folds into generic steps; the original value stays in the attributes.
  GUARDRAIL: "CHAIN",
  EVALUATOR: "CHAIN",
  PROMPT: "CHAIN",
};

const GEN_AI_OPERATIONS: Record<string, SpanKind> = {
  chat: "LLM",
  text_completion: "LLM",
  generate_content: "LLM",
  completion: "LLM",
  embeddings: "EMBEDDING",
  execute_tool: "TOOL",
  invoke_agent: "AGENT",
  create_agent: "AGENT",
  invoke_workflow: "CHAIN",
};

const TRACELOOP_KINDS: Record<string, SpanKind> = { workflow: "CHAIN", task: "CHAIN", agent: "AGENT", tool: "TOOL" };

function kindFrom(table: Record<string, SpanKind>, value: JsonValue | undefined, upper: boolean): SpanKind | undefined {
  if (typeof value !== "string") {
    return undefined;
  }
  return lookup(table, upper ? value.toUpperCase() : value.toLowerCase());
}

/** The canonical kind; UNKNOWN for spans that carry no AI semantics (HTTP, DB…). */
export function kindOf(attrs: JsonObject): SpanKind {
  const declared = attrs["openinference.span.kind"];
  if (typeof declared === "string") {
    return kindFrom(OPENINFERENCE_KINDS, declared, true) ?? "UNKNOWN";
  }
  const kind =
    kindFrom(GEN_AI_OPERATIONS, attrs["gen_ai.operation.name"], false) ??
    kindFrom(TRACELOOP_KINDS, attrs["traceloop.span.kind"], false);
  if (kind) {
    return kind;
  }
  const looksLikeLlm =
    attrs["gen_ai.request.model"] !== undefined ||
    attrs["llm.model_name"] !== undefined ||
    attrs["llm.request.type"] !== undefined;
  return looksLikeLlm ? "LLM" : "UNKNOWN";
}

function firstString(attrs: JsonObject, keys: readonly string[]): string | null {
  for (const key of keys) {
    const value = stringOrNull(attrs[key]);
    if (value !== null) {
      return value;
    }
  }
  return null;
}

function firstCount(attrs: JsonObject, keys: readonly string[]): number | null {
  for (const key of keys) {
    const value = countOrNull(attrs[key]);
    if (value !== null) {
      return value;
    }
  }
  return null;
}

export function modelOf(attrs: JsonObject): string | null {
  return firstString(attrs, [
    "llm.model_name",
    "gen_ai.response.model",
    "gen_ai.request.model",
    "llm.response.model_name",
    "llm.request.model_name",
  ]);
}

export function providerOf(attrs: JsonObject): string | null {
  return firstString(attrs, ["llm.provider", "gen_ai.provider.name", "llm.system", "gen_ai.system"]);
}

/** Counts as given; strings ("812") and doubles are accepted, garbage is treated as absent. */
export function tokensOf(attrs: JsonObject): TokenCounts {
  return {
    prompt: firstCount(attrs, ["llm.token_count.prompt", "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"]),
    completion: firstCount(attrs, [
      "llm.token_count.completion",
      "gen_ai.usage.output_tokens",
      "gen_ai.usage.completion_tokens",
    ]),
    total: firstCount(attrs, ["llm.token_count.total", "gen_ai.usage.total_tokens", "llm.usage.total_tokens"]),
  };
}

/** `input.value` / `output.value`, parsed when they hold JSON unless the mime type says plain text. */
export function ioValue(attrs: JsonObject, side: "input" | "output"): JsonValue {
  const value = attrs[`${side}.value`];
  if (value === undefined) {
    return null;
  }
  return attrs[`${side}.mime_type`] === "text/plain" ? value : parseJsonLenient(value);
}

export function toolOf(attrs: JsonObject, spanName: string, input: JsonValue, output: JsonValue): CanonicalTool {
  const args = attrs["gen_ai.tool.call.arguments"];
  const result = attrs["gen_ai.tool.call.result"];
  return {
    name: firstString(attrs, ["tool.name", "gen_ai.tool.name"]) ?? spanName,
    call_id: firstString(attrs, ["tool.id", "gen_ai.tool.call.id", "tool_call.id"]),
    arguments: args !== undefined ? parseJsonLenient(args) : input,
    output: result !== undefined ? parseJsonLenient(result) : output,
  };
}
