import { count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { TraceDetailSchema, TracePageSchema, TraceSummarySchema, UploadResponse } from "../../src/api/traces.schemas";
import { newId } from "../../src/db/ids";
import { evalExecutions, evals, feedback, feedbackHistory, tracePayloadChunks, traces } from "../../src/db/schema";
import { storeTraces } from "../../src/traces";
import { createAgent, createFeedback, createVersion } from "../helpers/agent-factories";
import { makeTestApp, readJson } from "../helpers/app";
import { createIntegration, createWorkspace } from "../helpers/factories";
import { fixtureText } from "../ingest/fixtures";
import { chatTrace, ctxFor, llmSpan } from "../traces/helpers";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const ctx = ctxFor(t, ws.id);
  const call = (path: string, options: Parameters<typeof t.request>[1] = {}) =>
    t.request(path, { workspace: ws.id, ...options });
  return { ...t, ws, ctx, call };
}

async function anEval(db: Awaited<ReturnType<typeof setup>>["db"], ws: { id: string }, agentId: string) {
  const [row] = await db
    .insert(evals)
    .values({ id: newId("eval"), workspaceId: ws.id, agentId, version: 1, name: "mentions settings", code: "x" })
    .returning();
  return row!;
}

describe("POST /api/traces", () => {
  it("creates a trace from canonical spans (201), and the same trace_id again updates it (200)", async () => {
    const { call } = await setup();
    const body = {
      trace_id: "ext-1",
      name: "support",
      spans: [{ span_id: "a", kind: "LLM", input_messages: [{ role: "user", content: "hi" }] }],
    };
    const created = await call("/api/traces", { method: "POST", body });
    expect(created.status).toBe(201);
    const row = TraceSummarySchema.parse(await readJson(created));
    expect(row).toMatchObject({ trace_id: "ext-1", source: "api", span_count: 1, summary: { input_preview: "hi" } });
    const again = await call("/api/traces", { method: "POST", body: { trace_id: "ext-1", spans: [{ span_id: "b" }] } });
    expect(again.status).toBe(200);
    expect(await readJson(again)).toMatchObject({ id: row.id, span_count: 2, name: "support" });
  });

  it("accepts the original's body: an integration, legacy steps and previews", async () => {
    const { call, db, ws } = await setup();
    const integration = await createIntegration(db, ws, { platform: "langsmith" });
    const steps = [
      {
        step_id: "s1",
        timestamp: "2025-01-01T00:00:00Z",
        messages_added: [
          { role: "user", content: "weather?" },
          { role: "assistant", content: "sunny" },
        ],
        tool_calls: [{ tool_name: "get_weather", arguments: { city: "Paris" }, result: "sunny", error: "timeout" }],
      },
    ];
    const res = await call("/api/traces", { method: "POST", body: { integration_id: integration.id, steps } });
    expect(res.status).toBe(201);
    expect(await readJson(res)).toMatchObject({
      source: "langsmith",
      integration_id: integration.id,
      span_count: 2,
      tool_call_count: 1,
      timestamp: "2025-01-01T00:00:00.000Z",
      summary: { input_preview: "weather?", output_preview: "sunny", has_errors: true },
    });
    const bare = await readJson(
      await call("/api/traces", {
        method: "POST",
        body: { input_preview: "q", output_preview: "a", has_errors: true },
      }),
    );
    expect(bare).toMatchObject({
      source: "api",
      summary: { input_preview: "q", output_preview: "a", has_errors: true },
    });
  });

  it.each([
    ["an unknown span kind", { spans: [{ span_id: "a", kind: "WIZARD" }] }, 400, "VALIDATION_ERROR"],
    ["a wrong type", { trace_id: 42 }, 400, "VALIDATION_ERROR"],
    ["another workspace's integration", { integration_id: "int_notmine" }, 404, "NOT_FOUND"],
  ])("refuses %s", async (_name, body, status, code) => {
    const { call } = await setup();
    const res = await call("/api/traces", { method: "POST", body });
    expect(res.status).toBe(status);
    expect((await readJson(res)).error.code).toBe(code);
  });
});

describe("POST /api/traces/upload", () => {
  it("stores a JSONL file and reports each bad line", async () => {
    const { call } = await setup();
    const res = await call("/api/traces/upload", {
      method: "POST",
      rawBody: fixtureText("upload/traces.jsonl"),
      headers: { "Content-Type": "application/x-ndjson" },
    });
    expect(res.status).toBe(200);
    const report = UploadResponse.parse(await readJson(res));
    expect(report).toMatchObject({ stored: 1, created: 1, updated: 0 });
    expect(report.rejected.map((r) => r.path)).toEqual(["line 3", "line 4"]);
    expect(report.rejected.every((r) => r.code === "VALIDATION_ERROR")).toBe(true);
  });

  it("stores a JSON file, and uploading it again updates instead of duplicating", async () => {
    const { call } = await setup();
    const upload = () =>
      call("/api/traces/upload", {
        method: "POST",
        rawBody: fixtureText("upload/traces.json"),
        headers: { "Content-Type": "application/json" },
      });
    const first = await readJson(await upload());
    expect(first).toMatchObject({ stored: 2, created: 2, updated: 0 });
    // The fixture also holds two invalid documents, reported by their index.
    expect(first.rejected.map((r: { path: string }) => r.path)).toEqual(["[2]", "[3]"]);
    const second = await readJson(await upload());
    expect(second).toMatchObject({ stored: 2, created: 0, updated: 2 });
    expect((await readJson(await call("/api/traces"))).total_count).toBe(2);
  });

  it.each([
    ["invalid JSON", "{", "application/json", 400, "VALIDATION_ERROR"],
    ["no valid trace", '[{"spans": 3}]', "application/json", 400, "VALIDATION_ERROR"],
    ["invalid UTF-8", new Uint8Array([0x7b, 0xff, 0x7d]), "application/jsonl", 400, "VALIDATION_ERROR"],
    ["a CSV file", "a,b", "text/csv", 415, "UNSUPPORTED_MEDIA_TYPE"],
  ])("refuses %s", async (_name, rawBody, contentType, status, code) => {
    const { call } = await setup();
    const res = await call("/api/traces/upload", { method: "POST", rawBody, headers: { "Content-Type": contentType } });
    expect(res.status).toBe(status);
    expect((await readJson(res)).error.code).toBe(code);
  });
});

describe("GET /api/traces", () => {
  it("filters by agent, version, source, rating, label presence, dates and preview text", async () => {
    const { call, ctx, db, ws, clock } = await setup();
    const agent = await createAgent(db, ws);
    const version = await createVersion(db, agent, { active: true });
    const a = await storeTraces(ctx, { traces: [chatTrace("assigned")] });
    clock.advance(60_000);
    const other = { ...llmSpan("o"), input_messages: [{ role: "user", content: "100% off_sale?" }] };
    const b = await storeTraces(ctx, { traces: [chatTrace("free", { source: "upload", spans: [other] })] });
    const [aId, bId] = [a.stored[0]!.id, b.stored[0]!.id];
    await createFeedback(db, ws, { id: bId }, { rating: "negative", agentId: agent.id, notes: "wrong" });
    const ids = async (query: string) => {
      const res = await call(`/api/traces?${query}`);
      expect(res.status).toBe(200);
      const page = TracePageSchema.parse(await readJson(res));
      expect(page.total_count).toBe(page.traces.length);
      return page.traces.map((r) => r.id);
    };
    expect(await ids("")).toEqual([bId, aId]);
    expect(await ids(`agent_id=${agent.id}`)).toEqual([bId, aId]);
    expect(await ids(`agent_version_id=${version.id}`)).toEqual([aId]);
    expect(await ids("source=upload")).toEqual([bId]);
    expect(await ids("rating=negative,neutral")).toEqual([bId]);
    expect(await ids("rating=positive")).toEqual([]);
    expect(await ids("has_feedback=true")).toEqual([bId]);
    expect(await ids("has_feedback=false")).toEqual([aId]);
    expect(await ids("date_from=2026-01-01T00:00:30Z")).toEqual([bId]);
    expect(await ids("date_to=2026-01-01T00:00:30%2B00:00")).toEqual([aId]);
    expect(await ids("date_field=started_at&date_to=2020-01-01T00:00:00Z")).toEqual([]);
    expect(await ids("q=100%25")).toEqual([bId]);
    expect(await ids("q=0%25")).toEqual([bId]);
    expect(await ids("q=f_s")).toEqual([bId]);
    expect(await ids("q=_")).toEqual([bId]);
    expect(await ids("q=RESET")).toEqual([aId]);
    const [row] = (await readJson(await call(`/api/traces?source=upload`))).traces;
    expect(row).toMatchObject({ agent_id: null, feedback: { rating: "negative", notes: "wrong", agent_id: agent.id } });
    expect((await readJson(await call(`/api/traces?source=otlp`))).traces[0]).toMatchObject({
      agent_id: agent.id,
      agent_version_id: version.id,
      feedback: null,
    });
  });

  it.each([
    "limit=0",
    "limit=-1",
    "limit=201",
    "limit=abc",
    "cursor=!!!",
    "cursor=eyJ4IjoxfQ",
    "rating=great",
    "source=somewhere",
    "has_feedback=yes",
    "date_from=yesterday",
    "date_field=created_at",
    "agent_id=not%20an%20id",
    `q=${"x".repeat(201)}`,
  ])("answers 400 VALIDATION_ERROR to %s", async (query) => {
    const { call } = await setup();
    const res = await call(`/api/traces?${query}`);
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
  });
});

describe("GET /api/traces/:id", () => {
  it("returns the row, spans, view, label and eval executions", async () => {
    const { call, ctx, db, ws } = await setup();
    const { stored } = await storeTraces(ctx, { traces: [chatTrace("detail", { metadata: { env: "prod" } })] });
    const id = stored[0]!.id;
    const agent = await createAgent(db, ws);
    const evalRow = await anEval(db, ws, agent.id);
    await db.insert(evalExecutions).values({
      id: newId("evalExecution"),
      workspaceId: ws.id,
      evalId: evalRow.id,
      traceId: id,
      predictedResult: true,
      reason: "ok",
    });
    await createFeedback(db, ws, { id }, { rating: "positive" });
    const res = await call(`/api/traces/${id}`);
    expect(res.status).toBe(200);
    const detail = TraceDetailSchema.parse(await readJson(res));
    expect(detail).toMatchObject({
      id,
      trace_id: "detail",
      metadata: { env: "prod" },
      feedback: { rating: "positive" },
    });
    expect(detail.spans.map((s) => s.span_id)).toEqual(["detail-s1"]);
    expect(detail.view).toMatchObject({ id, output: "Open Settings, then Security.", tokens: { total: 38 } });
    expect(detail.executions).toEqual([
      expect.objectContaining({ eval_id: evalRow.id, eval_name: "mentions settings", result: true }),
    ]);
  });

  it("answers 404 for an unknown id and for another workspace's trace, 400 for a malformed id", async () => {
    const { call, db, deps } = await setup();
    const theirs = ctxFor({ db, deps }, (await createWorkspace(db)).id);
    const { stored } = await storeTraces(theirs, { traces: [chatTrace("theirs")] });
    for (const id of ["trace_unknown", stored[0]!.id]) {
      const res = await call(`/api/traces/${id}`);
      expect(res.status).toBe(404);
      expect((await readJson(res)).error.code).toBe("NOT_FOUND");
    }
    expect((await call("/api/traces/..%2F..")).status).toBe(400);
  });
});

describe("DELETE /api/traces", () => {
  it("deletes one trace with its chunks, label and executions, leaving nothing orphaned", async () => {
    const { call, ctx, db, ws } = await setup();
    const { stored } = await storeTraces(ctx, { traces: [chatTrace("gone"), chatTrace("kept")] });
    const [gone, kept] = stored.map((s) => s.id) as [string, string];
    const agent = await createAgent(db, ws);
    const evalRow = await anEval(db, ws, agent.id);
    for (const id of [gone, kept]) {
      await createFeedback(db, ws, { id });
      await db
        .insert(evalExecutions)
        .values({ id: newId("evalExecution"), workspaceId: ws.id, evalId: evalRow.id, traceId: id });
    }
    expect((await call(`/api/traces/${gone}`, { method: "DELETE" })).status).toBe(204);
    expect((await call(`/api/traces/${gone}`, { method: "DELETE" })).status).toBe(404);
    for (const [table, column] of [
      [tracePayloadChunks, tracePayloadChunks.traceId],
      [feedback, feedback.traceId],
      [evalExecutions, evalExecutions.traceId],
    ] as const) {
      const [gonen] = await db.select({ n: count() }).from(table).where(eq(column, gone));
      const [keptn] = await db.select({ n: count() }).from(table).where(eq(column, kept));
      expect([gonen?.n, keptn?.n]).toEqual([0, 1]);
    }
    // Label history outlives the label on purpose (audit).
    expect(await db.select().from(feedbackHistory).where(eq(feedbackHistory.traceId, gone))).toHaveLength(1);
  });

  it("deletes in bulk only the workspace's own traces and counts them", async () => {
    const { call, ctx, db, deps } = await setup();
    const mine = await storeTraces(ctx, { traces: Array.from({ length: 5 }, (_, i) => chatTrace(`m${i}`)) });
    const other = ctxFor({ db, deps }, (await createWorkspace(db)).id);
    const theirs = await storeTraces(other, { traces: [chatTrace("t")] });
    const ids = [...mine.stored.map((s) => s.id), theirs.stored[0]!.id, "trace_unknown", mine.stored[0]!.id];
    const res = await call("/api/traces", { method: "DELETE", body: { trace_ids: ids } });
    expect(await readJson(res)).toEqual({ deleted_count: 5 });
    expect(await db.select().from(traces).where(eq(traces.id, theirs.stored[0]!.id))).toHaveLength(1);
    expect(await db.select({ n: count() }).from(tracePayloadChunks)).toEqual([{ n: 1 }]);
  });

  it.each([
    [{ trace_ids: [] }],
    [{ trace_ids: Array.from({ length: 101 }, (_, i) => `trace_${i}`) }],
    [{ trace_ids: "x" }],
    [{}],
  ])("answers 400 to %j", async (body) => {
    const { call } = await setup();
    const res = await call("/api/traces", { method: "DELETE", body });
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
  });
});
