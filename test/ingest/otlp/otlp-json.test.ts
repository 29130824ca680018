import { describe, expect, it } from "vitest";
import { parseOtlpJson } from "../../../src/ingest/otlp";
import { buildTraceView, summarizeTrace } from "../../../src/traces/model";
import { fixtureText } from "../fixtures";

function parse(path: string) {
  const result = parseOtlpJson(fixtureText(path));
  if (!result.ok) {
    throw result.error;
  }
  return result;
}

describe("OTLP/JSON ingestion", () => {
  it("maps the OpenInference agent fixture to one trace with an AGENT root and an LLM child", () => {
    const { traces, rejected, spanCount } = parse("otlp/openinference-agent.json");
    expect(rejected).toEqual([]);
    expect(spanCount).toBe(2);
    const [trace] = traces;
    expect(trace).toMatchObject({
      external_id: "5b8efff798038103d269b633813fc60c",
      source: "otlp",
      name: "agent",
      started_at: "2025-05-01T10:00:00.000Z",
      ended_at: "2025-05-01T10:00:02.500Z",
      session_id: "s-7",
      metadata: { "otel.resource": { "service.name": "support-bot" } },
    });
    const llm = trace?.spans[1];
    expect(llm).toMatchObject({
      kind: "LLM",
      source_kind: "CLIENT",
      parent_span_id: "eee19b7ec3c1b173",
      model: "gpt-4.1-mini",
      provider: "openai",
      status: "UNSET",
      tokens: { prompt: 812, completion: 64, total: 876 },
      input_messages: [
        { role: "system", content: "You are a support agent for Acme." },
        { role: "user", content: "reset password?" },
      ],
      output_messages: [{ role: "assistant", content: "Go to Settings → Security." }],
    });
    expect(llm?.attributes["llm.prompt_template.template"]).toBe("You are a support agent for {product}.");
    expect(summarizeTrace(trace!)).toMatchObject({
      total_tokens: 876,
      total_duration_ms: 2500,
      system_prompt: "You are a support agent for Acme.",
    });
  });

  it("groups ids sent as upper-case hex, base64 and UUID into one trace", () => {
    const { traces } = parse("otlp/variations.json");
    expect(traces.map((t) => t.external_id)).toEqual([
      "5b8efff798038103d269b633813fc60c",
      "0af7651916cd43dd8448eb211c80319c",
    ]);
    expect(traces[0]?.spans.map((s) => s.span_id)).toEqual([
      "eee19b7ec3c1b173",
      "eee19b7ec3c1b174",
      "eee19b7ec3c1b175",
    ]);
    expect(traces[0]?.spans[1]?.parent_span_id).toBe("eee19b7ec3c1b173");
  });

  it("upserts a span sent twice in one batch: the later copy wins", () => {
    const root = parse("otlp/variations.json").traces[0]?.spans[0];
    expect(root?.output).toBe("It is sunny in Paris.");
    expect(root?.source_kind).toBe("SERVER");
  });

  it("reads int64 times and intValues as strings and as JSON numbers in one payload", () => {
    const [trace, other] = parse("otlp/variations.json").traces;
    expect(trace?.started_at).toBe("2025-05-01T10:00:00.000Z");
    expect(trace?.ended_at).toBe("2025-05-01T10:00:03.000Z");
    expect(trace?.spans[1]?.tokens).toEqual({ prompt: 100, completion: 20, total: 150 });
    expect(other?.spans[0]?.attributes.huge).toBe("9007199254740993");
  });

  it("accepts kind and status as integers or enum names, and an empty status as UNSET", () => {
    const spans = parse("otlp/variations.json").traces[0]?.spans ?? [];
    expect(spans.map((s) => [s.source_kind, s.status])).toEqual([
      ["SERVER", "OK"],
      ["CLIENT", "UNSET"],
      ["INTERNAL", "ERROR"],
    ]);
    expect(spans[2]?.status_message).toBe("weather API timed out");
  });

  it("sorts flattened message indexes numerically and reads multi-part content", () => {
    const llm = parse("otlp/variations.json").traces[0]?.spans[1];
    expect(llm?.input_messages.map((m) => m.content)).toEqual([
      "You are a weather bot.",
      "weather in Paris?",
      "Sunny.",
      "and tomorrow?",
    ]);
    expect(llm?.output_messages).toEqual([
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }],
      },
    ]);
  });

  it("maps array, kvlist, bytes and empty values and ignores unknown fields", () => {
    const other = parse("otlp/variations.json").traces[1];
    expect(other).toMatchObject({ user_id: "u-42", tags: ["prod", "beta"], metadata: { prompt_version: "12" } });
    expect(other?.spans[0]?.parent_span_id).toBeNull();
    expect(other?.spans[0]?.attributes).toMatchObject({
      config: { retries: 3, ratio: 0.5, on: true },
      blob: "AAEC",
      nothing: null,
      "otel.scope.name": "my-instrumentation",
    });
  });

  it("rejects bad spans and blocks with their path and reason, and keeps the rest", () => {
    const { rejected } = parse("otlp/variations.json");
    const base = "resourceSpans[0].scopeSpans[0].spans";
    expect(rejected).toEqual([
      { path: `${base}[4]`, reason: "traceId is all zeroes, which OTLP defines as invalid", spans: 1 },
      { path: `${base}[5]`, reason: "spanId is all zeroes, which OTLP defines as invalid", spans: 1 },
      { path: `${base}[6]`, reason: expect.stringContaining("kind 9 is not one of 0/SPAN_KIND_UNSPECIFIED"), spans: 1 },
      { path: `${base}[7]`, reason: "name must be a string", spans: 1 },
      { path: `${base}[8]`, reason: expect.stringContaining("startTimeUnixNano must be Unix nanoseconds"), spans: 1 },
      { path: `${base}[9]`, reason: "attributes[0].value.intValue must be an integer or a decimal string", spans: 1 },
      { path: "resourceSpans[1]", reason: "must be an object", spans: 0 },
      { path: "resourceSpans[2]", reason: "scopeSpans must be an array", spans: 0 },
    ]);
  });

  it("reports whole-body problems as one validation error, never a throw", () => {
    for (const body of ["not json", "[1,2]", '{"resourceSpans": 5}', "null"]) {
      const result = parseOtlpJson(body);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("VALIDATION_ERROR");
      }
    }
    expect(parseOtlpJson("{}")).toMatchObject({ ok: true, traces: [], rejected: [] });
  });

  it("builds the view evals read from an OpenInference tool failure", () => {
    const view = buildTraceView(parse("otlp/variations.json").traces[0]!);
    expect(view.input).toEqual({ question: "weather in Paris?" });
    expect(view.tool_calls).toEqual([
      {
        id: "call_1",
        name: "get_weather",
        arguments: { city: "Paris" },
        result: null,
        error: "weather API timed out",
        span_id: "eee19b7ec3c1b175",
      },
    ]);
    expect(view.errors).toHaveLength(1);
  });
});
