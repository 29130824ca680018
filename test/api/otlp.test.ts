import { fromBinary } from "@bufbuild/protobuf";
import { afterAll, describe, expect, it } from "vitest";
import { ExportTraceServiceResponseSchema } from "../../src/ingest/otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb";
import { createIngestThreadPool } from "../../src/runtime/ingest-threads";
import type { IngestPreparer } from "../../src/traces/prepare-ingest";
import { makeTestApp as makeInlineApp, readJson, type TestAppOverrides } from "../helpers/app";
import { createApiKey, createWorkspace } from "../helpers/factories";
import { fixtureJson } from "../ingest/fixtures";
import { protoFromJson } from "../ingest/otlp/proto-encode";

const agentFixture = () => fixtureJson("otlp/openinference-agent.json");
const AGENT_TRACE = "5b8efff798038103d269b633813fc60c";

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const json = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));

async function post(t: Awaited<ReturnType<typeof makeInlineApp>>, body: BodyInit, headers: Record<string, string>) {
  return t.request("/v1/traces", { method: "POST", rawBody: body, headers, workspace: "ws_otlp" });
}

async function listed(t: Awaited<ReturnType<typeof makeInlineApp>>) {
  return (await readJson(await t.request("/api/traces", { workspace: "ws_otlp" }))).traces as any[];
}

// Every case runs twice: preparing requests in-process (Workers, tests) and on the Node host's ingest thread.
const threads = createIngestThreadPool({ threads: 1 });
afterAll(() => threads.close());
const preparers: [string, IngestPreparer | undefined][] = [
  ["in-process", undefined],
  ["on the ingest thread", threads.prepare],
];

describe.each(preparers)("POST /v1/traces, prepared %s", (_, prepareIngest) => {
  const makeTestApp = (overrides: TestAppOverrides = {}) =>
    makeInlineApp({ ...overrides, ...(prepareIngest ? { prepareIngest } : {}) });

  it("stores an OTLP/JSON export and answers the OTLP success response", async () => {
    const t = await makeTestApp();
    const res = await post(t, json(agentFixture()), { "Content-Type": "application/json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await readJson(res)).toEqual({});
    const [trace] = await listed(t);
    expect(trace).toMatchObject({ trace_id: AGENT_TRACE, source: "otlp", span_count: 2 });
    const detail = await readJson(await t.request(`/api/traces/${trace.id}`, { workspace: "ws_otlp" }));
    expect(detail.spans.map((s: any) => s.name)).toEqual(["agent", "ChatCompletion"]);
    expect(detail.view.session_id).toBe("s-7");
  });

  it("stores protobuf and gzip-compressed protobuf, answering in protobuf", async () => {
    const t = await makeTestApp();
    const proto = protoFromJson(agentFixture());
    const headers = { "Content-Type": "application/x-protobuf" };
    for (const [body, extra] of [
      [proto, {}],
      [await gzip(proto), { "Content-Encoding": "gzip" }],
    ] as const) {
      const res = await post(t, body, { ...headers, ...extra });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/x-protobuf");
      const reply = fromBinary(ExportTraceServiceResponseSchema, new Uint8Array(await res.arrayBuffer()));
      expect(reply.partialSuccess).toBeUndefined();
    }
    const traces = await listed(t);
    expect(traces).toHaveLength(1);
    expect(traces[0]).toMatchObject({ trace_id: AGENT_TRACE, span_count: 2 });
  });

  it("accepts gzip-compressed JSON and merges a trace sent over two requests", async () => {
    const t = await makeTestApp();
    const full = agentFixture();
    const spans = full.resourceSpans[0].scopeSpans[0].spans;
    const part = (s: any[]) => ({ resourceSpans: [{ ...full.resourceSpans[0], scopeSpans: [{ spans: s }] }] });
    await post(t, await gzip(json(part([spans[1]]))), {
      "Content-Type": "application/json",
      "Content-Encoding": "gzip",
    });
    await post(t, json(part([spans[0]])), { "Content-Type": "application/json" });
    const traces = await listed(t);
    expect(traces).toHaveLength(1);
    expect(traces[0].span_count).toBe(2);
  });

  it("maps OTel gen_ai conventions: messages, tool calls and tokens", async () => {
    const t = await makeTestApp();
    const res = await post(t, json(fixtureJson("otlp/gen-ai.json")), { "Content-Type": "application/json" });
    expect(res.status).toBe(200);
    const [trace] = await listed(t);
    expect(trace).toMatchObject({ span_count: 5, tool_call_count: expect.any(Number) });
    expect(trace.total_tokens).toBeGreaterThan(0);
    const detail = await readJson(await t.request(`/api/traces/${trace.id}`, { workspace: "ws_otlp" }));
    expect(detail.view.tool_calls.map((c: any) => c.name)).toContain("get_weather");
    expect(detail.view.messages.length).toBeGreaterThan(1);
  });

  it("reports rejected spans as OTLP partial success and stores the rest", async () => {
    const t = await makeTestApp();
    const body = agentFixture();
    body.resourceSpans[0].scopeSpans[0].spans.push({
      traceId: "00000000000000000000000000000000",
      spanId: "1111111111111111",
      name: "bad",
    });
    const res = await post(t, json(body), { "Content-Type": "application/json" });
    expect(res.status).toBe(200);
    const reply = await readJson(res);
    expect(reply.partialSuccess.rejectedSpans).toBe("1");
    expect(reply.partialSuccess.errorMessage).toContain("spans[2]");
    expect(await listed(t)).toHaveLength(1);
  });

  it("reports a trace over the size limit as rejected spans while storing the others", async () => {
    const t = await makeTestApp({ env: { MAX_TRACE_BYTES: "4096" } });
    const body = agentFixture();
    const big = structuredClone(body.resourceSpans[0].scopeSpans[0].spans[0]);
    big.traceId = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    big.attributes.push({ key: "output.value", value: { stringValue: "x".repeat(10_000) } });
    body.resourceSpans[0].scopeSpans[0].spans.push(big);
    const reply = await readJson(await post(t, json(body), { "Content-Type": "application/json" }));
    expect(reply.partialSuccess).toMatchObject({ rejectedSpans: "1" });
    expect(reply.partialSuccess.errorMessage).toContain("PAYLOAD_TOO_LARGE");
    expect((await listed(t)).map((r) => r.trace_id)).toEqual([AGENT_TRACE]);
  });

  it("answers 413 when every trace of the request is over the size limit", async () => {
    const t = await makeTestApp({ env: { MAX_TRACE_BYTES: "1024" } });
    const res = await post(t, json(agentFixture()), { "Content-Type": "application/json" });
    expect(res.status).toBe(413);
    expect((await readJson(res)).error).toMatchObject({
      code: "PAYLOAD_TOO_LARGE",
      message: expect.stringContaining("limit"),
    });
  });

  it.each([
    ["malformed JSON", "{not json", "application/json", 400, "VALIDATION_ERROR"],
    ["not an export request", "[1,2]", "application/json", 400, "VALIDATION_ERROR"],
    ["garbage protobuf", "\u00ff\u00ff\u00ff\u00ff", "application/x-protobuf", 400, "VALIDATION_ERROR"],
    ["another content type", "a,b", "text/csv", 415, "UNSUPPORTED_MEDIA_TYPE"],
  ])("answers %s with the error envelope", async (_name, body, contentType, status, code) => {
    const t = await makeTestApp();
    const res = await post(t, body, { "Content-Type": contentType });
    expect(res.status).toBe(status);
    expect((await readJson(res)).error.code).toBe(code);
  });

  it("answers corrupt gzip with 400 and a body over the limit with 413", async () => {
    const t = await makeTestApp({ env: { MAX_BODY_BYTES: "2048" } });
    const corrupt = await post(t, "not gzip", { "Content-Type": "application/json", "Content-Encoding": "gzip" });
    expect(corrupt.status).toBe(400);
    const huge = await post(t, json({ resourceSpans: [], pad: "x".repeat(4096) }), {
      "Content-Type": "application/json",
    });
    expect(huge.status).toBe(413);
    const bomb = await gzip(json({ resourceSpans: [], pad: "x".repeat(100_000) }));
    const inflated = await post(t, bomb, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
    expect(inflated.status).toBe(413);
  });

  it("requires an API key in key mode and stores into the key's workspace", async () => {
    const t = await makeTestApp({ env: { AUTH_MODE: "key" } });
    const ws = await createWorkspace(t.db);
    const { key } = await createApiKey(t.db, ws, "member");
    const body = json(agentFixture());
    const headers = { "Content-Type": "application/json" };
    expect((await t.request("/v1/traces", { method: "POST", rawBody: body, headers })).status).toBe(401);
    expect((await t.request("/v1/traces", { method: "POST", rawBody: body, headers, apiKey: key })).status).toBe(200);
    const list = await readJson(await t.request("/api/traces", { apiKey: key }));
    expect(list.total_count).toBe(1);
  });

  it("is documented in the OpenAPI document with both media types", async () => {
    const t = await makeTestApp();
    const doc = await readJson(await t.request("/openapi.json"));
    const op = doc.paths["/v1/traces"].post;
    expect(Object.keys(op.requestBody.content)).toEqual(["application/json", "application/x-protobuf"]);
    expect(op.operationId).toBe("ingestOtlp");
  });
});
