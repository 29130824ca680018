import { ASSISTANT_ROLES, firstMessageWithRole, lastMessageWithRole, SYSTEM_ROLES, USER_ROLES } from "./conversation";
import { valueToText } from "./span-tree";
import { countTraceTokens } from "./tokens";
import { collectToolCalls } from "./tool-calls";
import type { CanonicalTrace } from "./types";
import { firstModel, traceBasics, traceDurationMs } from "./view";

export const PREVIEW_CHARS = 500;

/** The derived columns stored beside a trace, for lists and filters without reading the payload. */
export interface TraceSummary {
  input_preview: string | null;
  output_preview: string | null;
  span_count: number;
  llm_call_count: number;
  tool_call_count: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  total_duration_ms: number | null;
  has_errors: boolean;
  system_prompt: string | null;
  model: string | null;
}

/** The first 500 UTF-16 units, never ending on half a surrogate pair (a lone surrogate is not valid UTF-8). */
export function preview(text: string | null): string | null {
  if (text === null || text.length <= PREVIEW_CHARS) {
    return text;
  }
  const last = text.charCodeAt(PREVIEW_CHARS - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
  return text.slice(0, end);
}

/**
 * Summary columns, derived from the same parts as the view evals read so the two never disagree:
 * previews are the first user message and the last assistant message (500 characters), falling back
 * to the trace input and output; tokens are counted once (see countTraceTokens); duration is the root
 * extent. Only the parts the columns need are built (no per-span view rows): it runs on every ingest.
 */
export function summarizeTrace(trace: CanonicalTrace): TraceSummary {
  const { ordered, roots, conversation, input, output } = traceBasics(trace);
  const tokens = countTraceTokens(ordered);
  // With no conversation the view synthesises one from input and output; the fallbacks below read the same text.
  return {
    input_preview: preview(firstMessageWithRole(conversation, USER_ROLES) ?? valueToText(input)),
    output_preview: preview(lastMessageWithRole(conversation, ASSISTANT_ROLES) ?? valueToText(output)),
    span_count: trace.spans.length,
    llm_call_count: trace.spans.filter((s) => s.kind === "LLM").length,
    tool_call_count: collectToolCalls(ordered).length,
    prompt_tokens: tokens.prompt,
    completion_tokens: tokens.completion,
    total_tokens: tokens.total,
    total_duration_ms: traceDurationMs(trace, roots),
    has_errors: trace.spans.some((s) => s.status === "ERROR"),
    system_prompt: firstMessageWithRole(conversation, SYSTEM_ROLES),
    model: firstModel(ordered),
  };
}
