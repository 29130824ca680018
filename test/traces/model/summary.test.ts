import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildTraceView, summarizeTrace } from "../../../src/traces/model";
import {
  ASSISTANT_ROLES,
  firstMessageWithRole,
  lastMessageWithRole,
  SYSTEM_ROLES,
  USER_ROLES,
} from "../../../src/traces/model/conversation";
import { valueToText } from "../../../src/traces/model/span-tree";
import { preview } from "../../../src/traces/model/summary";
import { canonicalTrace } from "./arbitraries";
import { at, span, trace } from "./builders";

describe("summarizeTrace", () => {
  it("counts tokens on LLM leaf spans only, so a parent repeating its children's totals is not double counted", () => {
    const t = trace([
      span("agent", { kind: "AGENT", tokens: { prompt: 300, completion: 50, total: 350 } }),
      span("wrapper", { kind: "LLM", parent_span_id: "agent", tokens: { prompt: 100, completion: 30, total: 130 } }),
      span("call-1", { kind: "LLM", parent_span_id: "wrapper", tokens: { prompt: 100, completion: 30, total: 130 } }),
      span("call-2", { kind: "LLM", parent_span_id: "agent", tokens: { prompt: 200, completion: 20, total: 220 } }),
    ]);
    const s = summarizeTrace(t);
    expect([s.prompt_tokens, s.completion_tokens, s.total_tokens]).toEqual([300, 50, 350]);
    expect(s.llm_call_count).toBe(3);
  });

  it("keeps a reported total that is not prompt plus completion, and sums prompt + completion when no total is given", () => {
    const t = trace([
      span("a", { kind: "LLM", tokens: { prompt: 100, completion: 20, total: 150 } }),
      span("b", { kind: "LLM", tokens: { prompt: 10, completion: 5, total: null } }),
    ]);
    const s = summarizeTrace(t);
    expect([s.prompt_tokens, s.completion_tokens, s.total_tokens]).toEqual([110, 25, 165]);
  });

  it("falls back to the deepest spans with counts when no LLM span has any", () => {
    const t = trace([
      span("agent", { kind: "AGENT", tokens: { prompt: 40, completion: 2, total: 42 } }),
      span("tool", { kind: "TOOL", parent_span_id: "agent" }),
    ]);
    expect(summarizeTrace(t).total_tokens).toBe(42);
  });

  it("measures duration as the extent of the roots, not the sum of span durations", () => {
    const t = trace([
      span("root", { started_at: at(0), ended_at: at(2500) }),
      span("c1", { parent_span_id: "root", started_at: at(100), ended_at: at(2000) }),
      span("c2", { parent_span_id: "root", started_at: at(200), ended_at: at(2100) }),
    ]);
    expect(summarizeTrace(t).total_duration_ms).toBe(2500);
  });

  it("spans several roots from the first start to the last end", () => {
    const t = trace([
      span("r1", { started_at: at(0), ended_at: at(1000) }),
      span("r2", { started_at: at(5000), ended_at: at(6000) }),
    ]);
    expect(summarizeTrace(t).total_duration_ms).toBe(6000);
  });

  it("previews the first user message and the last assistant message, cut at 500 characters", () => {
    const long = "x".repeat(600);
    const t = trace([
      span("l1", {
        kind: "LLM",
        started_at: at(0),
        input_messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: long },
        ],
        output_messages: [{ role: "assistant", content: "first answer" }],
      }),
      span("l2", {
        kind: "LLM",
        started_at: at(10),
        input_messages: [{ role: "user", content: "again" }],
        output_messages: [{ role: "assistant", content: "final answer" }],
      }),
    ]);
    const s = summarizeTrace(t);
    expect(s.input_preview).toBe("x".repeat(500));
    expect(s.output_preview).toBe("final answer");
    expect(s.system_prompt).toBe("Be brief.");
  });

  it("never ends a preview on half a surrogate pair", () => {
    const text = `${"a".repeat(499)}😀tail`;
    const t = trace([span("l", { kind: "LLM", input_messages: [{ role: "user", content: text }] })]);
    expect(summarizeTrace(t).input_preview).toBe("a".repeat(499));
  });

  it("falls back to the trace's input and output when there are no messages", () => {
    const t = trace([span("root", { input: { question: "refund?" }, output: "30 days" })]);
    const s = summarizeTrace(t);
    expect(s.input_preview).toBe('{"question":"refund?"}');
    expect(s.output_preview).toBe("30 days");
  });

  it("flags errors, counts spans and tool calls, and names the first LLM model", () => {
    const t = trace([
      span("root", { started_at: at(0) }),
      span("llm", {
        kind: "LLM",
        parent_span_id: "root",
        started_at: at(1),
        model: "gpt-4o",
        output_messages: [
          {
            role: "assistant",
            content: null,
            tool_calls: [
              { id: "c1", name: "search", arguments: {} },
              { id: "c2", name: "fetch", arguments: {} },
            ],
          },
        ],
      }),
      span("tool", { kind: "TOOL", parent_span_id: "root", started_at: at(2), status: "ERROR", name: "search" }),
    ]);
    const s = summarizeTrace(t);
    expect(s).toMatchObject({
      span_count: 3,
      llm_call_count: 1,
      tool_call_count: 2,
      has_errors: true,
      model: "gpt-4o",
    });
  });

  it("summarises an empty trace without failing", () => {
    expect(summarizeTrace(trace([]))).toEqual({
      input_preview: null,
      output_preview: null,
      span_count: 0,
      llm_call_count: 0,
      tool_call_count: 0,
      prompt_tokens: 0,
      completion_tokens: 0,
      total_tokens: 0,
      total_duration_ms: null,
      has_errors: false,
      system_prompt: null,
      model: null,
    });
  });

  it("agrees with the trace view evals read, column for column, for any trace", () => {
    // summarizeTrace skips the per-span view rows for speed; this pins it to what the full view says.
    fc.assert(
      fc.property(canonicalTrace, (t) => {
        const view = buildTraceView(t);
        expect(summarizeTrace(t)).toEqual({
          input_preview: preview(firstMessageWithRole(view.messages, USER_ROLES) ?? valueToText(view.input)),
          output_preview: preview(lastMessageWithRole(view.messages, ASSISTANT_ROLES) ?? valueToText(view.output)),
          span_count: t.spans.length,
          llm_call_count: t.spans.filter((s) => s.kind === "LLM").length,
          tool_call_count: view.tool_calls.length,
          prompt_tokens: view.tokens.prompt,
          completion_tokens: view.tokens.completion,
          total_tokens: view.tokens.total,
          total_duration_ms: view.duration_ms,
          has_errors: view.errors.length > 0,
          system_prompt: firstMessageWithRole(view.messages, SYSTEM_ROLES),
          model: view.model,
        });
      }),
      { numRuns: 300 },
    );
  });
});
