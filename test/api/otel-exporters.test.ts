import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as OtlpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as OtlpProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createIngestThreadPool } from "../../src/runtime/ingest-threads";
import { makeTestApp, readJson, type TestApp } from "../helpers/app";

// The OpenTelemetry JS SDK's own OTLP/HTTP exporters (JSON and protobuf, plain and gzip) export an
// OpenInference agent trace to the app served over real HTTP, as the Node host serves it (OTLP bodies
// prepared on its worker thread); the trace must arrive whole, and the exporter must read our answer
// as a success.

const WORKSPACE = "ws_otel";
const threads = createIngestThreadPool({ threads: 1 });
let t: TestApp;
let server: ReturnType<typeof serve>;
let baseUrl: string;

beforeAll(async () => {
  t = await makeTestApp({ prepareIngest: threads.prepare });
  server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await threads.close();
});

/** Spans of one agent run as the SDK records them: root AGENT, an LLM call, a failing TOOL call. */
async function recordAgentRun(question: string): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "support-bot" }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer("openinference.instrumentation.test", "1.2.3");
  const root = tracer.startSpan("agent", {
    attributes: { "openinference.span.kind": "AGENT", "input.value": question, "session.id": "s-42" },
  });
  const inRoot = trace.setSpan(context.active(), root);
  const llm = tracer.startSpan(
    "ChatCompletion",
    {
      kind: SpanKind.CLIENT,
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.model_name": "gpt-4.1-mini",
        "llm.input_messages.0.message.role": "system",
        "llm.input_messages.0.message.content": "You are a support agent → be brief.",
        "llm.input_messages.1.message.role": "user",
        "llm.input_messages.1.message.content": question,
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.content": "Settings → Security → Reset password.",
        "llm.token_count.prompt": 812,
        "llm.token_count.completion": 64,
        "llm.token_count.total": 876,
      },
    },
    inRoot,
  );
  llm.end();
  const tool = tracer.startSpan(
    "search_docs",
    { attributes: { "openinference.span.kind": "TOOL", "tool.name": "search_docs", "input.value": '{"q":"reset"}' } },
    inRoot,
  );
  tool.addEvent("retry", { attempt: 2 });
  tool.setStatus({ code: SpanStatusCode.ERROR, message: "docs index unavailable" });
  tool.end();
  root.end();
  await provider.forceFlush();
  // Read before shutting down: shutting the in-memory exporter down forgets its spans.
  const spans = memory.getFinishedSpans();
  await provider.shutdown();
  return spans;
}

/** Exports through the SDK exporter and resolves with its verdict on our answer. */
function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<{ code: number; error?: Error }> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

const headers = { "X-Workspace-Id": WORKSPACE };
const gzip = CompressionAlgorithm.GZIP;
const exporters = [
  ["JSON", (url: string) => new OtlpJsonExporter({ url, headers })],
  ["JSON, gzip", (url: string) => new OtlpJsonExporter({ url, headers, compression: gzip })],
  ["protobuf", (url: string) => new OtlpProtoExporter({ url, headers })],
  ["protobuf, gzip", (url: string) => new OtlpProtoExporter({ url, headers, compression: gzip })],
] as const;

describe.each(exporters)("the OpenTelemetry JS OTLP exporter (%s)", (label, makeExporter) => {
  it("exports an agent run that is stored whole, with its tree, messages, tokens and error", async () => {
    const question = `How do I reset my password? (${label})`;
    const spans = await recordAgentRun(question);
    const exporter = makeExporter(`${baseUrl}/v1/traces`);
    const result = await exportWith(exporter, spans);
    await exporter.shutdown();
    expect(result.error).toBeUndefined();
    expect(result.code).toBe(0); // ExportResultCode.SUCCESS

    const traceId = spans[0]?.spanContext().traceId as string;
    const list = await readJson(
      await t.request(`/api/traces?q=${encodeURIComponent(label)}`, { workspace: WORKSPACE }),
    );
    expect(list.traces).toHaveLength(1);
    expect(list.traces[0]).toMatchObject({
      trace_id: traceId,
      source: "otlp",
      span_count: 3,
      summary: { input_preview: question, has_errors: true },
    });

    const detail = await readJson(await t.request(`/api/traces/${list.traces[0].id}`, { workspace: WORKSPACE }));
    const byName = Object.fromEntries(detail.spans.map((s: { name: string }) => [s.name, s]));
    const rootId = byName.agent.span_id;
    expect(byName.agent).toMatchObject({ kind: "AGENT", parent_span_id: null, input: question });
    expect(byName.ChatCompletion).toMatchObject({
      kind: "LLM",
      source_kind: "CLIENT",
      parent_span_id: rootId,
      model: "gpt-4.1-mini",
      tokens: { prompt: 812, completion: 64, total: 876 },
      input_messages: [
        { role: "system", content: "You are a support agent → be brief." },
        { role: "user", content: question },
      ],
      output_messages: [{ role: "assistant", content: "Settings → Security → Reset password." }],
    });
    expect(byName.search_docs).toMatchObject({
      kind: "TOOL",
      parent_span_id: rootId,
      status: "ERROR",
      status_message: "docs index unavailable",
      events: [{ name: "retry", attributes: { attempt: 2 } }],
    });
    expect(byName.agent.attributes).toMatchObject({
      "otel.scope.name": "openinference.instrumentation.test",
      "otel.scope.version": "1.2.3",
    });
    expect(detail.metadata).toMatchObject({ "otel.resource": { "service.name": "support-bot" } });
  });
});
