import { describe, expect, it } from "vitest";
import { MAX_UPLOAD_TRACES, parseUploadJson, parseUploadJsonl } from "../../../src/ingest/upload";
import { summarizeTrace } from "../../../src/traces/model";
import { fixtureText } from "../fixtures";

function ok(result: ReturnType<typeof parseUploadJson>) {
  if (!result.ok) {
    throw result.error;
  }
  return result;
}

describe("JSON upload", () => {
  it("accepts an array of trace documents, fills defaults and normalises times", () => {
    const { traces, spanCount } = ok(parseUploadJson(fixtureText("upload/traces.json")));
    expect(traces.map((t) => t.external_id)).toEqual(["upload-1", "upload-2"]);
    expect(spanCount).toBe(3);
    expect(traces[0]).toEqual({
      external_id: "upload-1",
      source: "upload",
      name: null,
      started_at: null,
      ended_at: null,
      input: null,
      output: null,
      spans: [
        {
          span_id: "s1",
          parent_span_id: null,
          name: "",
          kind: "UNKNOWN",
          source_kind: null,
          started_at: null,
          ended_at: null,
          status: "UNSET",
          status_message: null,
          model: null,
          provider: null,
          input_messages: [],
          output_messages: [],
          tool: null,
          input: null,
          output: null,
          tokens: { prompt: null, completion: null, total: null },
          attributes: {},
          events: [],
        },
      ],
      metadata: {},
      tags: [],
      user_id: null,
      session_id: null,
    });
    const full = traces[1]!;
    expect(full).toMatchObject({ started_at: "2025-08-01T10:00:00.000Z", ended_at: "2025-08-01T10:00:02.000Z" });
    expect(full.spans[1]?.started_at).toBe("2025-08-01T10:00:00.500Z");
    expect(summarizeTrace(full)).toMatchObject({ total_tokens: 13, tool_call_count: 1, input_preview: "refund?" });
  });

  it("rejects invalid documents by index with the failing field, keeping the others", () => {
    const { rejected } = ok(parseUploadJson(fixtureText("upload/traces.json")));
    expect(rejected).toEqual([
      { path: "[2]", reason: expect.stringContaining("external_id: Too small"), spans: 0 },
      {
        path: "[3]",
        reason: expect.stringMatching(/^spans\.0\.kind: Invalid option: expected one of "LLM"/),
        spans: 1,
      },
    ]);
  });

  it("accepts one document or { traces: [...] }", () => {
    expect(ok(parseUploadJson('{"external_id":"one"}')).traces).toHaveLength(1);
    expect(ok(parseUploadJson('{"traces":[{"external_id":"a"},{"external_id":"b"}]}')).traces).toHaveLength(2);
  });

  it("bounds strings, nesting and the number of traces", () => {
    const long = ok(parseUploadJson(JSON.stringify({ external_id: "x".repeat(600) })));
    expect(long.rejected[0]?.reason).toContain("external_id: Too big");
    let deep: unknown = "leaf";
    for (let i = 0; i < 100; i++) {
      deep = { deeper: deep };
    }
    const nested = ok(parseUploadJson(JSON.stringify({ external_id: "d", metadata: { deep } })));
    expect(nested.rejected[0]?.reason).toContain("nested deeper than 64 levels");
    const tooMany = parseUploadJson(JSON.stringify(Array.from({ length: MAX_UPLOAD_TRACES + 1 }, () => ({}))));
    expect(tooMany).toMatchObject({ ok: false, error: { code: "VALIDATION_ERROR" } });
  });

  it("answers a body that is not JSON with one validation error", () => {
    expect(parseUploadJson("{oops")).toMatchObject({ ok: false, error: { code: "VALIDATION_ERROR" } });
  });
});

describe("JSONL upload", () => {
  it("parses one trace per line, skips blank lines, rejects bad lines by number and merges repeated ids", () => {
    const { traces, rejected } = ok(parseUploadJsonl(fixtureText("upload/traces.jsonl")));
    expect(traces.map((t) => [t.external_id, t.spans.map((s) => s.span_id)])).toEqual([["line-1", ["a", "b"]]]);
    expect(rejected).toEqual([
      { path: "line 3", reason: expect.stringContaining("not valid JSON"), spans: 0 },
      { path: "line 4", reason: expect.stringContaining("spans.0.status: Invalid option"), spans: 1 },
    ]);
  });

  it("accepts CRLF line endings and an empty file", () => {
    expect(ok(parseUploadJsonl('{"external_id":"a"}\r\n{"external_id":"b"}\r\n')).traces).toHaveLength(2);
    expect(ok(parseUploadJsonl(""))).toMatchObject({ traces: [], rejected: [] });
  });
});
