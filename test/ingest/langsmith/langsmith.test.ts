import { describe, expect, it } from "vitest";
import { tracesFromLangSmithRuns } from "../../../src/ingest/langsmith";
import { buildTraceView, summarizeTrace } from "../../../src/traces/model";
import { fixtureJson } from "../fixtures";

const ROOT = "1b64a6f2-7c4e-4d8b-9a4e-2f1e8d0c08d8";

function v1() {
  return tracesFromLangSmithRuns(fixtureJson("langsmith/runs-v1.json").runs);
}

describe("LangSmith runs", () => {
  it("groups runs into span trees by trace id, in dotted_order, and rejects runs without an id", () => {
    const { traces, rejected } = v1();
    expect(traces.map((t) => t.external_id)).toEqual([ROOT, "d4d4d4d4-0000-4000-8000-000000000000"]);
    expect(traces[0]?.spans.map((s) => [s.name, s.kind, s.parent_span_id === null])).toEqual([
      ["SupportAgent", "CHAIN", true],
      ["ChatOpenAI", "LLM", false],
      ["search_docs", "TOOL", false],
      ["ChatOpenAI", "LLM", false],
    ]);
    expect(rejected).toEqual([{ path: "runs[5]", reason: "run must be an object with a string id", spans: 1 }]);
  });

  it("reads times as ISO without a zone (UTC), ISO with an offset, or epoch milliseconds", () => {
    const [t1, t2] = v1().traces;
    expect(t1?.spans[0]?.started_at).toBe("2025-05-01T10:00:00.000Z");
    expect(t1?.spans[1]?.started_at).toBe("2025-05-01T10:00:00.100Z");
    expect(t1?.spans[2]?.ended_at).toBe("2025-05-01T10:00:01.300Z");
    expect(t2?.spans[0]?.started_at).toBe("2025-05-02T09:00:00.000Z");
  });

  it("reads LangChain-serialized and OpenAI-style messages, model, provider and usage", () => {
    const [, first, , second] = v1().traces[0]!.spans;
    expect(first).toMatchObject({
      model: "gpt-4.1-mini",
      provider: "openai",
      tokens: { prompt: 800, completion: 60, total: 860 },
      input_messages: [
        { role: "system", content: "You are a support agent." },
        { role: "user", content: "reset password?" },
      ],
      output_messages: [
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_9", name: "search_docs", arguments: { query: "reset password" } }],
        },
      ],
    });
    expect(second?.input_messages.at(-1)).toEqual({
      role: "tool",
      content: "Settings → Security → Reset",
      tool_call_id: "call_9",
    });
    expect(second?.output_messages).toEqual([{ role: "assistant", content: "Go to Settings → Security." }]);
  });

  it("takes trace name, metadata, tags, user and thread from the root run", () => {
    expect(v1().traces[0]).toMatchObject({
      source: "langsmith",
      name: "SupportAgent",
      tags: ["prod", "support"],
      user_id: "u-1",
      session_id: "th-1",
      metadata: { agent_version: "v3" },
    });
  });

  it("does not double count the root's aggregated tokens, and matches the tool run to the model's call", () => {
    const trace = v1().traces[0]!;
    expect(summarizeTrace(trace)).toMatchObject({
      prompt_tokens: 900,
      completion_tokens: 80,
      total_tokens: 980,
      tool_call_count: 1,
    });
    expect(buildTraceView(trace).tool_calls[0]).toMatchObject({
      id: "call_9",
      span_id: "a1a1a1a1-2b2b-4c3c-8d4d-5e5e5e5e5e5e",
    });
  });

  it("marks errored runs, and makes a run whose parent is missing a root", () => {
    const span = v1().traces[1]?.spans[0];
    expect(span).toMatchObject({
      kind: "RETRIEVER",
      status: "ERROR",
      status_message: "ValueError: index not found",
      parent_span_id: null,
    });
  });

  it("reads the v2 query shape: upper-case types and statuses, trace id from dotted_order, thread id", () => {
    const { traces } = tracesFromLangSmithRuns(fixtureJson("langsmith/runs-v2.json").items);
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({
      external_id: "e1e1e1e1-0000-4000-8000-000000000001",
      session_id: "thread-77",
      user_id: "u-7",
    });
    expect(traces[0]?.spans.map((s) => [s.kind, s.status, s.parent_span_id])).toEqual([
      ["CHAIN", "OK", null],
      ["LLM", "ERROR", "e1e1e1e1-0000-4000-8000-000000000001"],
    ]);
    expect(traces[0]?.spans[1]).toMatchObject({
      provider: "anthropic",
      model: "claude-3-5-haiku",
      input_messages: [{ role: "user", content: "refund window?" }],
    });
  });

  it("flattens nested child runs into one tree", () => {
    const { traces } = tracesFromLangSmithRuns([fixtureJson("langsmith/run-with-children.json")]);
    expect(traces[0]?.spans.map((s) => [s.name, s.parent_span_id?.slice(-1) ?? null])).toEqual([
      ["Graph", null],
      ["agent", "0"],
      ["ChatOpenAI", "1"],
    ]);
    expect(traces[0]?.spans[2]).toMatchObject({
      input_messages: [{ role: "user", content: "Human: hi" }],
      output_messages: [{ role: "assistant", content: "hello!" }],
    });
  });

  it("links v2 runs, which carry only parent_run_ids, to their last ancestor", () => {
    const root = "aaaaaaaa-0000-4000-8000-000000000001";
    const chain = "aaaaaaaa-0000-4000-8000-000000000002";
    const llm = "aaaaaaaa-0000-4000-8000-000000000003";
    const base = { trace_id: root, start_time: "2026-05-01T10:00:00Z", inputs: {}, outputs: {} };
    const { traces } = tracesFromLangSmithRuns([
      { ...base, id: root, name: "root", run_type: "chain", parent_run_ids: [] },
      { ...base, id: chain, name: "step", run_type: "chain", parent_run_ids: [root] },
      { ...base, id: llm, name: "model", run_type: "llm", parent_run_ids: [root, chain] },
    ]);
    const parents = Object.fromEntries((traces[0]?.spans ?? []).map((s) => [s.name, s.parent_span_id]));
    expect(parents).toEqual({ root: null, step: root, model: chain });
  });
});
