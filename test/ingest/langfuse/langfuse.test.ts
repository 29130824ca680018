import { describe, expect, it } from "vitest";
import { traceFromLangfuseTrace, tracesFromLangfuseObservations } from "../../../src/ingest/langfuse";
import { buildTraceView, summarizeTrace } from "../../../src/traces/model";
import { fixtureJson } from "../fixtures";

function v2() {
  return tracesFromLangfuseObservations(fixtureJson("langfuse/v2-observations.json").data);
}

describe("Langfuse v2 observations", () => {
  it("groups observations by traceId and rejects those without an id or a trace", () => {
    const { traces, rejected } = v2();
    expect(traces.map((t) => [t.external_id, t.spans.length])).toEqual([
      ["t-1", 5],
      ["t-2", 2],
    ]);
    expect(rejected).toEqual([
      { path: "observations[7]", reason: "observation id must be a non-empty string", spans: 1 },
      { path: "observations[7]", reason: "observation has no traceId", spans: 1 },
    ]);
  });

  it("maps trace fields from the root observation", () => {
    expect(v2().traces[0]).toMatchObject({
      source: "langfuse",
      name: "support",
      user_id: "u-9",
      session_id: "s-7",
      tags: ["prod"],
      metadata: { "langfuse.trace": { projectId: "p-1", environment: "production", version: "v3" } },
    });
  });

  it("parses input, output and metadata given as JSON strings or objects, and keeps plain text", () => {
    const spans = v2().traces[0]!.spans;
    const byId = Object.fromEntries(spans.map((s) => [s.span_id, s]));
    expect(byId["obs-root"]?.input).toEqual({ question: "reset password?" });
    expect(byId["obs-gen"]?.attributes.metadata).toEqual({ foo: "bar" });
    expect(byId["obs-tool"]?.tool).toEqual({
      name: "search_docs",
      call_id: "call_7",
      arguments: { query: "reset password" },
      output: "Settings → Security → Reset",
    });
    expect(byId["obs-orphan"]?.input).toBe("plain text, not JSON");
  });

  it("maps generations to LLM spans with messages, model and usage", () => {
    const gen = v2().traces[0]!.spans.find((s) => s.span_id === "obs-gen");
    expect(gen).toMatchObject({
      kind: "LLM",
      source_kind: "GENERATION",
      model: "gpt-4.1-mini",
      tokens: { prompt: 812, completion: 64, total: 876 },
      input_messages: [
        { role: "system", content: "You are…" },
        { role: "user", content: "reset password?" },
      ],
      output_messages: [{ role: "assistant", content: "Go to Settings…" }],
    });
  });

  it("makes an observation whose parent is missing a root, and accepts several roots", () => {
    const [t1, t2] = v2().traces;
    expect(t1?.spans.find((s) => s.span_id === "obs-orphan")?.parent_span_id).toBeNull();
    expect(t2?.spans.map((s) => s.parent_span_id)).toEqual([null, null]);
    expect(summarizeTrace(t1!)).toMatchObject({
      total_duration_ms: 3100,
      has_errors: true,
      tool_call_count: 1,
      total_tokens: 876,
    });
  });

  it("reads the deprecated usage object and string usage details", () => {
    const [a, b] = v2().traces[1]!.spans;
    expect(a).toMatchObject({ model: "claude-3-haiku", tokens: { prompt: 10, completion: 5, total: 15 } });
    expect(b).toMatchObject({ tokens: { prompt: 20, completion: 7, total: null } });
    expect(buildTraceView(v2().traces[1]!).messages).toEqual([
      { role: "user", content: "hello" },
      { role: "assistant", content: "hi there" },
      { role: "user", content: "bye" },
      { role: "assistant", content: "goodbye" },
    ]);
  });
});

describe("Langfuse legacy traces", () => {
  it("maps a trace with full observations, keeping trace-level input, output and metadata", () => {
    const { traces, rejected } = traceFromLangfuseTrace(fixtureJson("langfuse/legacy-trace.json"));
    expect(rejected).toEqual([]);
    expect(traces[0]).toMatchObject({
      external_id: "t-legacy",
      name: "qa-pipeline",
      started_at: "2025-11-02T08:00:00.000Z",
      input: { question: "What is the refund window?" },
      output: "30 days.",
      tags: ["refunds", "prod"],
      user_id: "user-3",
      session_id: "sess-1",
      metadata: {
        agent: "refunds",
        prompt_version: "4",
        "langfuse.trace": { release: "2025.11.1", version: "7", public: false, latency: 1.2, totalCost: 0.0012 },
      },
    });
    expect(traces[0]?.spans[1]).toMatchObject({
      model: "gpt-4o-mini",
      tokens: { prompt: 120, completion: 4, total: 124 },
    });
  });

  it("maps a list item whose observations are ids, taking the observations fetched separately", () => {
    const { traces: page, observations } = fixtureJson("langfuse/legacy-list.json");
    const { traces } = traceFromLangfuseTrace(page.data[0], observations.data);
    expect(traces[0]?.spans.map((s) => [s.span_id, s.parent_span_id])).toEqual([
      ["o-10", null],
      ["o-11", "o-10"],
    ]);
    expect(traces[0]?.spans[0]?.tokens).toEqual({ prompt: 3, completion: 2, total: 5 });
    expect(traces[0]?.metadata).toMatchObject({ channel: "web" });
  });

  it("rejects a trace without an id", () => {
    expect(traceFromLangfuseTrace({ name: "x" })).toEqual({
      traces: [],
      rejected: [{ path: "trace", reason: "trace must be an object with a string id", spans: 0 }],
      spanCount: 0,
    });
  });
});
