import { describe, expect, it } from "vitest";
import { parseOpenAIJson, tracesFromOpenAICompletions } from "../../../src/ingest/openai";
import { summarizeTrace } from "../../../src/traces/model";
import { fixtureText } from "../fixtures";

function page(): any {
  return parseOpenAIJson(fixtureText("openai/completions-page.json"));
}

function messages(id: string): any[] {
  return (parseOpenAIJson(fixtureText(`openai/messages-${id}.json`)) as any).data;
}

function imported() {
  return tracesFromOpenAICompletions(
    page().data.map((completion: any) => ({
      completion,
      messages: completion.id === "chatcmpl-min" ? undefined : messages(completion.id),
    })),
  );
}

describe("OpenAI stored completions", () => {
  it("keeps integers beyond 2^53 exact where JSON.parse would round them", () => {
    expect(JSON.parse(fixtureText("openai/completions-page.json")).data[0].seed).toBe(18446744073709552000);
    expect(page().data[0].seed).toBe("18446744073709551615");
    expect(imported().traces[0]?.spans[0]?.attributes.seed).toBe("18446744073709551615");
  });

  it("maps a completion and its request messages to a one-span LLM trace", () => {
    const trace = imported().traces[0]!;
    expect(trace).toMatchObject({
      external_id: "chatcmpl-abc",
      source: "openai",
      started_at: "2025-05-01T10:00:00.000Z",
      metadata: { agent: "support", prompt_version: "12" },
    });
    expect(trace.spans[0]).toMatchObject({
      kind: "LLM",
      model: "gpt-4.1-mini-2025-04-14",
      provider: "openai",
      tokens: { prompt: 812, completion: 64, total: 876 },
      input_messages: [
        { role: "system", content: "You are a support agent for Acme." },
        { role: "user", content: "reset password?" },
      ],
      output_messages: [{ role: "assistant", content: "Go to Settings → Security." }],
    });
    expect(summarizeTrace(trace)).toMatchObject({
      input_preview: "reset password?",
      system_prompt: "You are a support agent for Acme.",
    });
  });

  it("handles content null with tool calls, content_parts, a developer prompt and absent usage", () => {
    const trace = imported().traces[1]!;
    expect(trace.metadata).toEqual({});
    expect(trace.spans[0]).toMatchObject({
      tokens: { prompt: null, completion: null, total: null },
      input_messages: [
        { role: "developer", content: "Use tools when needed." },
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
    expect(summarizeTrace(trace)).toMatchObject({ tool_call_count: 1, system_prompt: "Use tools when needed." });
  });

  it("accepts a completion with no choices and no messages, and rejects one without an id", () => {
    expect(imported().traces[2]?.spans[0]).toMatchObject({ input_messages: [], output_messages: [] });
    expect(tracesFromOpenAICompletions([{ completion: { object: "chat.completion" } }]).rejected).toEqual([
      { path: "completions[0]", reason: "completion must be an object with a string id", spans: 1 },
    ]);
  });
});
