import { ASSISTANT_ROLES, firstMessageWithRole, lastMessageWithRole, SYSTEM_ROLES, USER_ROLES } from "./conversation";
import { valueToText } from "./span-tree";
import type { CanonicalTrace } from "./types";
import { buildTraceView } from "./view";

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
 * Summary columns, derived from the same view evals read so the two never disagree: previews are the
 * first user message and the last assistant message (500 characters), falling back to the trace input
 * and output; tokens are counted once (see countTraceTokens); duration is the root extent.
 */
export function summarizeTrace(trace: CanonicalTrace): TraceSummary {
  const view = buildTraceView(trace);
  return {
    input_preview: preview(firstMessageWithRole(view.messages, USER_ROLES) ?? valueToText(view.input)),
    output_preview: preview(lastMessageWithRole(view.messages, ASSISTANT_ROLES) ?? valueToText(view.output)),
    span_count: trace.spans.length,
    llm_call_count: trace.spans.filter((s) => s.kind === "LLM").length,
    tool_call_count: view.tool_calls.length,
    prompt_tokens: view.tokens.prompt,
    completion_tokens: view.tokens.completion,
    total_tokens: view.tokens.total,
    total_duration_ms: view.duration_ms,
    has_errors: view.errors.length > 0,
    system_prompt: firstMessageWithRole(view.messages, SYSTEM_ROLES),
    model: view.model,
  };
}
