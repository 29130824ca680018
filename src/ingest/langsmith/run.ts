import type { SpanKind, SpanStatus } from "../../db/schema/enums";
import type { CanonicalSpan, JsonObject, SpanEvent, TokenCounts } from "../../traces/model";
import { asJson, asJsonObject, countOrNull, isObject, lookup, stringOrNull } from "../common/json";
import { normalizeInputMessages, normalizeOutputMessages } from "../common/message-lists";
import { isoFromAny } from "../common/time";

const KINDS: Record<string, SpanKind> = {
  llm: "LLM",
  chain: "CHAIN",
  tool: "TOOL",
  retriever: "RETRIEVER",
  embedding: "EMBEDDING",
  prompt: "CHAIN",
  parser: "CHAIN",
};

export function runMetadata(run: Record<string, unknown>): Record<string, unknown> {
  const extra = isObject(run.extra) ? run.extra : {};
  if (isObject(extra.metadata)) {
    return extra.metadata;
  }
  return isObject(run.metadata) ? run.metadata : {};
}

/** `20230914T223155647Z<uuid>` → ISO; the fraction may have 3 to 6 digits. */
export function isoFromDottedSegment(segment: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d*)Z/.exec(segment);
  if (!m) {
    return null;
  }
  const fraction = (m[7] ?? "").padEnd(3, "0").slice(0, 3);
  return isoFromAny(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${fraction}Z`);
}

function startOf(run: Record<string, unknown>): string | null {
  const direct = isoFromAny(run.start_time);
  if (direct !== null || typeof run.dotted_order !== "string") {
    return direct;
  }
  const segments = run.dotted_order.split(".");
  return isoFromDottedSegment(segments[segments.length - 1] ?? "");
}

function statusOf(run: Record<string, unknown>): { status: SpanStatus; message: string | null } {
  const error = stringOrNull(run.error);
  const status = typeof run.status === "string" ? run.status.toLowerCase() : "";
  if (error !== null || status === "error") {
    return { status: "ERROR", message: error };
  }
  return { status: status === "success" ? "OK" : "UNSET", message: null };
}

function usageOf(value: unknown): TokenCounts | null {
  if (!isObject(value)) {
    return null;
  }
  const prompt = countOrNull(value.prompt_tokens ?? value.input_tokens);
  const completion = countOrNull(value.completion_tokens ?? value.output_tokens);
  const total = countOrNull(value.total_tokens);
  return prompt === null && completion === null && total === null ? null : { prompt, completion, total };
}

/** Top-level counts (what LangSmith aggregates), else the provider usage inside outputs. */
function tokensOf(run: Record<string, unknown>): TokenCounts {
  const outputs = isObject(run.outputs) ? run.outputs : {};
  const llmOutput = isObject(outputs.llm_output) ? outputs.llm_output : {};
  return (
    usageOf(run) ??
    usageOf(llmOutput.token_usage) ??
    usageOf(outputs.usage_metadata) ??
    usageOf(outputs.usage) ?? { prompt: null, completion: null, total: null }
  );
}

function modelOf(run: Record<string, unknown>, metadata: Record<string, unknown>): string | null {
  const extra = isObject(run.extra) ? run.extra : {};
  const params = isObject(extra.invocation_params) ? extra.invocation_params : {};
  return stringOrNull(params.model) ?? stringOrNull(params.model_name) ?? stringOrNull(metadata.ls_model_name);
}

function eventsOf(raw: unknown): SpanEvent[] {
  if (!Array.isArray(raw)) {
    return [];
  }
  return raw.filter(isObject).map((e) => ({
    name: typeof e.name === "string" ? e.name : "",
    at: isoFromAny(e.time),
    attributes: asJsonObject(e.kwargs),
  }));
}

function llmInputMessages(inputs: Record<string, unknown>) {
  if (Array.isArray(inputs.prompts)) {
    return normalizeInputMessages(inputs.prompts);
  }
  return normalizeInputMessages(inputs.messages ?? inputs);
}

/** One run as a span; `parentId` is decided by the caller (a parent outside the batch makes a root). */
export function runToSpan(run: Record<string, unknown>, id: string, parentId: string | null): CanonicalSpan {
  const { inputs, outputs, child_runs: _children, events, ...rest } = run;
  const runType = typeof run.run_type === "string" ? run.run_type : "";
  const kind = lookup(KINDS, runType.toLowerCase()) ?? "UNKNOWN";
  const metadata = runMetadata(run);
  const inputObj = isObject(inputs) ? inputs : {};
  const outputObj = isObject(outputs) ? outputs : {};
  const { status, message } = statusOf(run);
  const name = stringOrNull(run.name) ?? runType;
  return {
    span_id: id,
    parent_span_id: parentId,
    name,
    kind,
    source_kind: runType || null,
    started_at: startOf(run),
    ended_at: isoFromAny(run.end_time),
    status,
    status_message: message,
    model: modelOf(run, metadata),
    provider: stringOrNull(metadata.ls_provider),
    input_messages: kind === "LLM" ? llmInputMessages(inputObj) : [],
    output_messages: kind === "LLM" ? normalizeOutputMessages(outputObj) : [],
    tool:
      kind === "TOOL"
        ? {
            name,
            call_id: stringOrNull(metadata.tool_call_id) ?? stringOrNull(inputObj.tool_call_id),
            arguments: asJson(inputObj.input ?? inputs),
            output: asJson(outputObj.output ?? outputs),
          }
        : null,
    input: asJson(inputs),
    output: asJson(outputs),
    tokens: tokensOf(run),
    attributes: rest as JsonObject,
    events: eventsOf(events),
  };
}
