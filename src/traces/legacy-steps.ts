import { type CanonicalMessage, type CanonicalSpan, emptySpan, type JsonObject, type JsonValue } from "./model";

/** The original iofold's step format (`POST /api/traces` `steps`), accepted for compatibility. */
export interface LegacyStep {
  step_id?: string | undefined;
  timestamp?: string | null | undefined;
  messages_added?: { role: string; content: string | null }[] | undefined;
  tool_calls?:
    | {
        tool_name: string;
        arguments?: JsonValue | undefined;
        result?: JsonValue | undefined;
        error?: string | null | undefined;
      }[]
    | undefined;
  input?: JsonValue | undefined;
  output?: JsonValue | undefined;
  metadata?: JsonObject | undefined;
  error?: string | null | undefined;
}

const ASSISTANT = new Set(["assistant", "ai"]);

function toolSpans(step: LegacyStep, parentId: string): CanonicalSpan[] {
  return (step.tool_calls ?? []).map((call, i) => ({
    ...emptySpan(`${parentId}-tool-${i}`, call.tool_name),
    parent_span_id: parentId,
    kind: "TOOL",
    started_at: step.timestamp ?? null,
    status: call.error ? "ERROR" : "UNSET",
    status_message: call.error ?? null,
    tool: { name: call.tool_name, call_id: null, arguments: call.arguments ?? null, output: call.result ?? null },
    input: call.arguments ?? null,
    output: call.result ?? null,
  }));
}

/**
 * Each step becomes a span (LLM when it added an assistant message, else CHAIN) whose tool calls are
 * TOOL child spans; messages the step added are its input (user, system, tool) and output (assistant).
 */
export function spansFromLegacySteps(steps: readonly LegacyStep[]): CanonicalSpan[] {
  return steps.flatMap((step, i) => {
    const id = step.step_id ?? `step-${i + 1}`;
    const messages: CanonicalMessage[] = (step.messages_added ?? []).map((m) => ({ role: m.role, content: m.content }));
    const output = messages.filter((m) => ASSISTANT.has(m.role));
    const span: CanonicalSpan = {
      ...emptySpan(id, `step ${i + 1}`),
      kind: output.length > 0 ? "LLM" : "CHAIN",
      source_kind: "legacy_step",
      started_at: step.timestamp ?? null,
      status: step.error ? "ERROR" : "UNSET",
      status_message: step.error ?? null,
      input_messages: messages.filter((m) => !ASSISTANT.has(m.role)),
      output_messages: output,
      input: step.input ?? null,
      output: step.output ?? null,
      attributes: step.metadata ?? {},
    };
    return [span, ...toolSpans(step, id)];
  });
}
