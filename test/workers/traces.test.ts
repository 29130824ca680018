import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Ctx } from "../../src/context";
import { createDb } from "../../src/db/client";
import { newId } from "../../src/db/ids";
import { tracePayloadChunks, workspaces } from "../../src/db/schema";
import { loadTrace, loadTraceViews, storeTraces } from "../../src/traces";
import { emptySpan, encodeTracePayload } from "../../src/traces/model";
import agent from "../fixtures/otlp/openinference-agent.json";
import { protoFromJson } from "../ingest/otlp/proto-encode";
import { workerTestDeps } from "./deps";

// Trace storage on real D1: its 100-parameter and row-size limits, batches, and the OTLP route in workerd.

async function call(
  ws: string,
  path: string,
  init: { method?: string; body?: BodyInit; headers?: Record<string, string> } = {},
) {
  const headers = { "X-Workspace-Id": ws, ...init.headers };
  return exports.default.fetch(
    new Request(`http://iofold.test${path}`, { method: init.method ?? "GET", headers, body: init.body }),
  );
}

async function workspaceCtx(): Promise<Ctx> {
  const db = createDb(env.DB);
  const id = newId("workspace");
  await db.insert(workspaces).values({ id, name: "d1 traces" });
  const deps = workerTestDeps();
  return { db, workspaceId: id, actor: { kind: "local", role: "owner", apiKeyId: undefined }, requestId: "d1", deps };
}

describe("traces on D1", () => {
  it("ingests OTLP protobuf through POST /v1/traces and serves the trace back", async () => {
    const ws = newId("workspace");
    const res = await call(ws, "/v1/traces", {
      method: "POST",
      body: protoFromJson(agent),
      headers: { "Content-Type": "application/x-protobuf" },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const list = await (await call(ws, "/api/traces")).json<{ traces: { id: string; span_count: number }[] }>();
    expect(list.traces).toHaveLength(1);
    const res2 = await call(ws, `/api/traces/${list.traces[0]?.id}`);
    const text = await res2.text();
    expect(res2.status, text).toBe(200);
    const detail = JSON.parse(text) as { spans: unknown[] };
    expect(detail.spans).toHaveLength(2);
  });

  it("stores and loads a multi-chunk payload byte for byte", async () => {
    const ctx = await workspaceCtx();
    const big = "données 漢字 😀 ".repeat(120_000);
    const doc = {
      external_id: "big",
      source: "upload" as const,
      name: null,
      started_at: null,
      ended_at: null,
      input: null,
      output: big,
      spans: [{ ...emptySpan("s1", "root"), output: big }],
      metadata: {},
      tags: [],
      user_id: null,
      session_id: null,
    };
    const { stored, rejected } = await storeTraces(ctx, { traces: [doc] });
    expect(rejected).toEqual([]);
    const id = stored[0]?.id ?? "";
    const chunks = await ctx.db.select().from(tracePayloadChunks).where(eq(tracePayloadChunks.traceId, id));
    expect(chunks.length).toBeGreaterThan(8);
    expect(encodeTracePayload(await loadTrace(ctx, id)) === encodeTracePayload(doc)).toBe(true);
    const again = await storeTraces(ctx, { traces: [{ ...doc, spans: [emptySpan("s2", "more")] }] });
    expect(again.stored).toEqual([{ id, external_id: "big", source: "upload", created: false }]);
    expect((await loadTrace(ctx, id)).spans.map((s) => s.span_id)).toEqual(["s1", "s2"]);
  }, 30_000); // a 5 MB document written twice through local D1: about 4 s alone, over 5 s on two busy cores

  it("stores, lists, views and deletes more traces than one statement can bind", async () => {
    const ctx = await workspaceCtx();
    const docs = Array.from({ length: 150 }, (_, i) => ({
      external_id: `t${i}`,
      source: "api" as const,
      name: `trace ${i}`,
      started_at: null,
      ended_at: null,
      input: `question ${i}`,
      output: `answer ${i}`,
      spans: [],
      metadata: {},
      tags: [],
      user_id: null,
      session_id: null,
    }));
    const { stored } = await storeTraces(ctx, { traces: docs });
    expect(stored).toHaveLength(150);
    const views = await loadTraceViews(
      ctx,
      stored.map((s) => s.id),
    );
    expect(views.size).toBe(150);
    const page = await (await call(ctx.workspaceId, "/api/traces?limit=200&q=question")).json<{
      total_count: number;
    }>();
    expect(page.total_count).toBe(150);
    // Joined columns (the label's id and agent) must not collide with the trace's on D1's batch path.
    const first = stored[0]?.id ?? "";
    const label = await call(ctx.workspaceId, "/api/feedback", {
      method: "POST",
      body: JSON.stringify({ trace_id: first, rating: "negative", notes: "n" }),
      headers: { "Content-Type": "application/json" },
    });
    const labelId = (await label.json<{ id: string }>()).id;
    const labelled = await (await call(ctx.workspaceId, "/api/traces?has_feedback=true")).json<{ traces: unknown[] }>();
    expect(labelled.traces).toEqual([
      expect.objectContaining({ id: first, feedback: { id: labelId, rating: "negative", notes: "n", agent_id: null } }),
    ]);
    const detail = await (await call(ctx.workspaceId, `/api/traces/${first}`)).json<{
      id: string;
      feedback: { id: string };
    }>();
    expect([detail.id, detail.feedback.id]).toEqual([first, labelId]);
    const ids = stored.slice(0, 100).map((s) => s.id);
    const res = await call(ctx.workspaceId, "/api/traces", {
      method: "DELETE",
      body: JSON.stringify({ trace_ids: ids }),
      headers: { "Content-Type": "application/json" },
    });
    expect(await res.json()).toEqual({ deleted_count: 100 });
  });
});
