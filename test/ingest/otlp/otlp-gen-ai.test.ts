import { describe, expect, it } from "vitest";
import { parseOtlpJson } from "../../../src/ingest/otlp";
import { buildTraceView, summarizeTrace } from "../../../src/traces/model";
import { fixtureText } from "../fixtures";

function genAiTrace() {
  const result = parseOtlpJson(fixtureText("otlp/gen-ai.json"));
  if (!result.ok) {
    throw result.error;
  }
  expect(result.rejected).toEqual([]);
  return result.traces[0]!;
}

describe("OTel gen_ai conventions", () => {
  it("derives span kinds from gen_ai.operation.name", () => {
    expect(genAiTrace().spans.map((s) => s.kind)).toEqual(["AGENT", "LLM", "TOOL", "LLM", "LLM"]);
  });

  it("reads flattened gen_ai.prompt / gen_ai.completion messages with tool calls", () => {
    const chat = genAiTrace().spans[1];
    expect(chat).toMatchObject({
      model: "gpt-4o-2024-08-06",
      provider: "openai",
      tokens: { prompt: 100, completion: 30, total: null },
      input_messages: [
        { role: "system", content: "You plan trips." },
        { role: "user", content: "Weather in Paris?" },
      ],
      output_messages: [
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }],
        },
      ],
    });
  });

  it("reads gen_ai.input.messages / output.messages given as JSON strings, with system instructions", () => {
    const chat = genAiTrace().spans[3];
    expect(chat?.input_messages).toEqual([
      { role: "system", content: "You plan trips." },
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }],
      },
      { role: "tool", content: "sunny, 24C", tool_call_id: "call_1" },
    ]);
    expect(chat?.output_messages).toEqual([{ role: "assistant", content: "It is sunny in Paris, 24C." }]);
    expect(chat?.tokens).toEqual({ prompt: 200, completion: 20, total: null });
  });

  it("reads messages that exist only as span events", () => {
    const chat = genAiTrace().spans[4];
    expect(chat?.input_messages).toEqual([
      { role: "system", content: "You summarise." },
      { role: "user", content: "Summarise: sunny, 24C" },
    ]);
    expect(chat?.output_messages).toEqual([{ role: "assistant", content: "Sunny and warm." }]);
    expect(chat?.model).toBe("claude-sonnet");
  });

  it("maps execute_tool spans to a tool with its call id, arguments and result", () => {
    expect(genAiTrace().spans[2]?.tool).toEqual({
      name: "get_weather",
      call_id: "call_1",
      arguments: { city: "Paris" },
      output: "sunny, 24C",
    });
  });

  it("does not double count the agent span that repeats its children's token totals", () => {
    const summary = summarizeTrace(genAiTrace());
    expect([summary.prompt_tokens, summary.completion_tokens, summary.total_tokens]).toEqual([300, 50, 350]);
    expect(summary.tool_call_count).toBe(1);
    expect(genAiTrace().session_id).toBe("conv-9");
  });

  it("gives evals one conversation and one tool call across the four LLM calls", () => {
    const view = buildTraceView(genAiTrace());
    expect(view.tool_calls).toEqual([
      {
        id: "call_1",
        name: "get_weather",
        arguments: { city: "Paris" },
        result: "sunny, 24C",
        error: null,
        span_id: "b7ad6b7169203333",
      },
    ]);
    expect(view.messages.map((m) => m.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
      "assistant",
      "system",
      "user",
      "assistant",
    ]);
    expect(view.output).toBe("Sunny and warm.");
  });
});
