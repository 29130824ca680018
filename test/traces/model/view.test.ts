import { describe, expect, it } from "vitest";
import { buildTraceView } from "../../../src/traces/model";
import { at, span, trace } from "./builders";

const system = { role: "system", content: "You help." };
const user = { role: "user", content: "Weather in Paris?" };
const askTool = {
  role: "assistant",
  content: null,
  tool_calls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }],
};
const toolAnswer = { role: "tool", content: "sunny", tool_call_id: "call_1" };
const final = { role: "assistant", content: "It is sunny." };

function agentTrace() {
  return trace(
    [
      span("root", {
        kind: "AGENT",
        started_at: at(0),
        ended_at: at(3000),
        input: "Weather in Paris?",
        output: "It is sunny.",
      }),
      span("llm-1", {
        kind: "LLM",
        parent_span_id: "root",
        started_at: at(100),
        ended_at: at(900),
        model: "gpt-4o",
        input_messages: [system, user],
        output_messages: [askTool],
        tokens: { prompt: 50, completion: 10, total: 60 },
      }),
      span("tool", {
        kind: "TOOL",
        parent_span_id: "root",
        started_at: at(1000),
        ended_at: at(1200),
        tool: { name: "get_weather", call_id: null, arguments: { city: "Paris" }, output: "sunny" },
      }),
      span("llm-2", {
        kind: "LLM",
        parent_span_id: "root",
        started_at: at(1300),
        ended_at: at(2900),
        model: "gpt-4o",
        input_messages: [system, user, askTool, toolAnswer],
        output_messages: [final],
        tokens: { prompt: 80, completion: 5, total: 85 },
      }),
    ],
    { metadata: { agent: "weather" }, tags: ["prod"] },
  );
}

describe("buildTraceView", () => {
  it("merges the resent chat history of successive LLM calls into one conversation", () => {
    const view = buildTraceView(agentTrace());
    expect(view.messages).toEqual([system, user, askTool, toolAnswer, final]);
  });

  it("keeps a message that really repeats inside one history", () => {
    const yes = { role: "user", content: "yes" };
    const ok = { role: "assistant", content: "ok" };
    const t = trace([span("l", { kind: "LLM", input_messages: [yes, ok, yes], output_messages: [ok] })]);
    expect(buildTraceView(t).messages).toEqual([yes, ok, yes, ok]);
  });

  it("lists each tool call once, matching the model's request to the TOOL span that ran it", () => {
    const view = buildTraceView(agentTrace());
    expect(view.tool_calls).toEqual([
      {
        id: "call_1",
        name: "get_weather",
        arguments: { city: "Paris" },
        result: "sunny",
        error: null,
        span_id: "tool",
      },
    ]);
  });

  it("adds tool calls known only from messages, with the result from the answering tool message", () => {
    const t = trace([
      span("l1", { kind: "LLM", started_at: at(0), output_messages: [askTool] }),
      span("l2", {
        kind: "LLM",
        started_at: at(10),
        input_messages: [user, askTool, toolAnswer],
        output_messages: [final],
      }),
    ]);
    expect(buildTraceView(t).tool_calls).toEqual([
      { id: "call_1", name: "get_weather", arguments: { city: "Paris" }, result: "sunny", error: null, span_id: null },
    ]);
  });

  it("reports failed spans as errors, using the exception event when the status has no message", () => {
    const t = trace([
      span("tool", {
        kind: "TOOL",
        status: "ERROR",
        events: [{ name: "exception", at: null, attributes: { "exception.message": "timeout" } }],
      }),
      span("db", { status: "ERROR", status_message: "deadlock" }),
    ]);
    const view = buildTraceView(t);
    expect(view.errors).toEqual([
      { span_id: "tool", span_name: "tool", kind: "TOOL", message: "timeout" },
      { span_id: "db", span_name: "db", kind: "UNKNOWN", message: "deadlock" },
    ]);
    expect(view.tool_calls[0]?.error).toBe("tool failed");
  });

  it("exposes input, output, duration, tokens, model, metadata and slim spans", () => {
    const view = buildTraceView(agentTrace(), "trace_123");
    expect(view).toMatchObject({
      id: "trace_123",
      input: "Weather in Paris?",
      output: "It is sunny.",
      duration_ms: 3000,
      tokens: { prompt: 130, completion: 15, total: 145 },
      model: "gpt-4o",
      metadata: { agent: "weather" },
      tags: ["prod"],
    });
    expect(view.spans.map((s) => s.span_id)).toEqual(["root", "llm-1", "tool", "llm-2"]);
    expect(view.spans[1]).toEqual({
      span_id: "llm-1",
      parent_span_id: "root",
      name: "llm-1",
      kind: "LLM",
      status: "UNSET",
      status_message: null,
      started_at: at(100),
      ended_at: at(900),
      duration_ms: 800,
      model: "gpt-4o",
      tokens: { prompt: 50, completion: 10, total: 60 },
    });
    expect(view.spans[0]).not.toHaveProperty("attributes");
  });

  it("prefers the trace's own input and output, then the roots', then the conversation", () => {
    const withOwn = trace([span("r", { input: "root in" })], { input: "trace in", output: "trace out" });
    expect(buildTraceView(withOwn)).toMatchObject({ input: "trace in", output: "trace out" });
    const onlyMessages = trace([span("l", { kind: "LLM", input_messages: [user], output_messages: [final] })]);
    expect(buildTraceView(onlyMessages)).toMatchObject({ input: "Weather in Paris?", output: "It is sunny." });
  });

  it("synthesises a two-turn conversation from input and output when no span has messages", () => {
    const t = trace([span("r", { input: { q: "refund?" }, output: "30 days" })]);
    expect(buildTraceView(t).messages).toEqual([
      { role: "user", content: '{"q":"refund?"}' },
      { role: "assistant", content: "30 days" },
    ]);
  });

  it("survives cyclic parent links without looping", () => {
    const t = trace([
      span("a", { kind: "LLM", parent_span_id: "b", tokens: { prompt: 1, completion: 1, total: 2 } }),
      span("b", { kind: "LLM", parent_span_id: "a", tokens: { prompt: 1, completion: 1, total: 2 } }),
    ]);
    expect(buildTraceView(t).spans).toHaveLength(2);
  });
});
