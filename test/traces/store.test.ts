import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { tracePayloadChunks, traces } from "../../src/db/schema";
import { sha256Hex } from "../../src/runtime/sha256";
import { loadTrace, loadTraceViews, storeTraces } from "../../src/traces";
import { prepareTraces, rowDraftOf } from "../../src/traces/document";
import { encodeTracePayload, utf8ByteLength } from "../../src/traces/model";
import { writePreparedTraces } from "../../src/traces/store";
import { createAgent, createFeedback, createVersion } from "../helpers/agent-factories";
import { createWorkspace } from "../helpers/factories";
import { at, chatTrace, ctxFor, llmSpan, span, storeSetup, trace } from "./helpers";

async function rowOf(db: Awaited<ReturnType<typeof storeSetup>>["db"], id: string) {
  const [row] = await db.select().from(traces).where(eq(traces.id, id));
  return row;
}

describe("storeTraces", () => {
  it("creates a trace, fills the summary columns and loads the document back exactly", async () => {
    const { ctx, db } = await storeSetup();
    const doc = chatTrace("abc", { name: "support", tags: ["prod"], user_id: "u1", session_id: "s1" });
    const result = await storeTraces(ctx, { traces: [doc] });
    expect(result.rejected).toEqual([]);
    expect(result.stored).toEqual([
      { id: expect.stringMatching(/^trace_/), external_id: "abc", source: "otlp", created: true },
    ]);
    const id = result.stored[0]!.id;
    const row = await rowOf(db, id);
    expect(row).toMatchObject({
      workspaceId: ctx.workspaceId,
      externalId: "abc",
      name: "support",
      inputPreview: "How do I reset my password?",
      outputPreview: "Open Settings, then Security.",
      systemPrompt: "You are a helpful assistant for Acme.",
      spanCount: 1,
      llmCallCount: 1,
      totalTokens: 38,
      totalDurationMs: 1200,
      model: "gpt-4.1-mini",
      tags: ["prod"],
      sessionId: "s1",
      payloadBytes: utf8ByteLength(encodeTracePayload(doc)),
      payloadSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      importedAt: "2026-01-01T00:00:00.000Z",
    });
    expect(encodeTracePayload(await loadTrace(ctx, id))).toBe(encodeTracePayload(doc));
  });

  it("updates a re-imported trace in place: same id, merged spans, labels kept", async () => {
    const { ctx, db, ws, clock } = await storeSetup();
    const first = await storeTraces(ctx, { traces: [chatTrace("abc")] });
    const id = first.stored[0]!.id;
    const label = await createFeedback(db, ws, { id });
    clock.advance(60_000);
    const again = chatTrace("abc", { spans: [span("abc-tool", { kind: "TOOL", name: "search", started_at: at(5) })] });
    const second = await storeTraces(ctx, { traces: [again] });
    expect(second.stored).toEqual([{ id, external_id: "abc", source: "otlp", created: false }]);
    expect((await loadTrace(ctx, id)).spans.map((s) => s.span_id)).toEqual(["abc-s1", "abc-tool"]);
    const row = await rowOf(db, id);
    expect(row).toMatchObject({
      spanCount: 2,
      importedAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:01:00.000Z",
    });
    expect(await db.select().from(traces).where(eq(traces.externalId, "abc"))).toHaveLength(1);
    const { feedback } = await import("../../src/db/schema");
    expect(await db.select().from(feedback).where(eq(feedback.id, label.id))).toHaveLength(1);
  });

  it("merges a trace split over several batches and duplicated inside one batch", async () => {
    const { ctx } = await storeSetup();
    const child = span("c", { parent_span_id: "root", name: "child", started_at: at(10) });
    const root = span("root", { name: "agent", started_at: at(0) });
    const batch = [
      trace([child], { external_id: "split", source: "otlp" }),
      trace([child], { external_id: "split", source: "otlp" }),
    ];
    const first = await storeTraces(ctx, { traces: batch });
    expect(first.stored).toHaveLength(1);
    await storeTraces(ctx, { traces: [trace([root], { external_id: "split", source: "otlp", name: "agent run" })] });
    const stored = await loadTrace(ctx, first.stored[0]!.id);
    expect(stored.spans.map((s) => s.span_id)).toEqual(["root", "c"]);
    expect(stored.name).toBe("agent run");
  });

  it("keeps one row per source, external id and workspace", async () => {
    const { ctx, db, deps } = await storeSetup();
    const other = ctxFor({ db, deps }, (await createWorkspace(db)).id);
    const a = await storeTraces(ctx, { traces: [chatTrace("same"), chatTrace("same", { source: "upload" })] });
    const b = await storeTraces(other, { traces: [chatTrace("same")] });
    const ids = new Set([...a.stored, ...b.stored].map((s) => s.id));
    expect(ids.size).toBe(3);
  });

  it("ends two concurrent stores of the same new trace as one row holding both documents", async () => {
    const { ctx, db } = await storeSetup();
    const [a, b] = await Promise.all([
      storeTraces(ctx, {
        traces: [trace([span("a", { started_at: at(0) })], { external_id: "race", source: "otlp" })],
      }),
      storeTraces(ctx, {
        traces: [trace([span("b", { started_at: at(1) })], { external_id: "race", source: "otlp" })],
      }),
    ]);
    expect(a.stored[0]!.id).toBe(b.stored[0]!.id);
    expect([a.stored[0]!.created, b.stored[0]!.created].sort()).toEqual([false, true]);
    expect(await db.select().from(traces).where(eq(traces.externalId, "race"))).toHaveLength(1);
    expect((await loadTrace(ctx, a.stored[0]!.id)).spans.map((s) => s.span_id)).toEqual(["a", "b"]);
  });

  it("merges every document when many re-imports of one trace run concurrently", async () => {
    const { ctx } = await storeSetup();
    const { stored } = await storeTraces(ctx, {
      traces: [trace([span("s0", { started_at: at(0) })], { external_id: "hot", source: "otlp" })],
    });
    const writers = Array.from({ length: 4 }, (_, i) =>
      storeTraces(ctx, {
        traces: [trace([span(`s${i + 1}`, { started_at: at(i + 1) })], { external_id: "hot", source: "otlp" })],
      }),
    );
    const results = await Promise.all(writers);
    expect(results.flatMap((r) => r.rejected)).toEqual([]);
    expect((await loadTrace(ctx, stored[0]!.id)).spans.map((s) => s.span_id)).toEqual(["s0", "s1", "s2", "s3", "s4"]);
  });

  it("round-trips a 20 MB trace byte for byte through D1-sized chunks", async () => {
    const { ctx, db } = await storeSetup();
    // Mixed widths so chunk boundaries land next to 2-, 3- and 4-byte characters.
    const piece = "ascii text é ü 漢字 😀 ".repeat(1000);
    const spans = Array.from({ length: 23 }, (_, i) =>
      span(`big-${i}`, { started_at: at(i), output: piece.repeat(30) }),
    );
    const doc = trace(spans, { external_id: "big", source: "upload" });
    const text = encodeTracePayload(doc);
    const bytes = utf8ByteLength(text);
    expect(bytes).toBeGreaterThan(19 * 1024 * 1024);
    expect(bytes).toBeLessThanOrEqual(20 * 1024 * 1024);
    const { stored, rejected } = await storeTraces(ctx, { traces: [doc] });
    expect(rejected).toEqual([]);
    const chunks = await db.select().from(tracePayloadChunks).where(eq(tracePayloadChunks.traceId, stored[0]!.id));
    expect(chunks.length).toBeGreaterThan(30);
    for (const chunk of chunks) {
      expect(utf8ByteLength(chunk.body)).toBeLessThanOrEqual(512 * 1024);
    }
    expect(encodeTracePayload(await loadTrace(ctx, stored[0]!.id)) === text).toBe(true);
  });

  it("rejects a trace over the configured maximum and stores the rest", async () => {
    const { ctx } = await storeSetup({ env: { MAX_TRACE_BYTES: "4096" } });
    const big = chatTrace("big", { input: "x".repeat(5000) });
    const result = await storeTraces(ctx, { traces: [big, chatTrace("small")] });
    expect(result.stored.map((s) => s.external_id)).toEqual(["small"]);
    expect(result.rejected).toEqual([
      { external_id: "big", source: "otlp", code: "PAYLOAD_TOO_LARGE", reason: expect.stringContaining("limit") },
    ]);
  });

  it("rejects a re-import whose merged document would pass the maximum, keeping the stored one", async () => {
    const { ctx } = await storeSetup({ env: { MAX_TRACE_BYTES: "4096" } });
    const { stored } = await storeTraces(ctx, { traces: [chatTrace("grow", { input: "x".repeat(2500) })] });
    const more = await storeTraces(ctx, {
      traces: [chatTrace("grow", { spans: [span("extra", { output: "y".repeat(2500) })] })],
    });
    expect(more.rejected.map((r) => r.code)).toEqual(["PAYLOAD_TOO_LARGE"]);
    expect((await loadTrace(ctx, stored[0]!.id)).spans).toHaveLength(1);
  });

  it("assigns a stored trace whose system prompt fills a version's template", async () => {
    const { ctx, db, ws } = await storeSetup();
    const agent = await createAgent(db, ws);
    const version = await createVersion(db, agent, { active: true });
    const { stored } = await storeTraces(ctx, { traces: [chatTrace("assigned")] });
    expect(await rowOf(db, stored[0]!.id)).toMatchObject({ agentVersionId: version.id, assignmentStatus: "assigned" });
  });

  it("records the integration a trace came through", async () => {
    const { ctx, db, ws } = await storeSetup();
    const { createIntegration } = await import("../helpers/factories");
    const integration = await createIntegration(db, ws);
    const { stored } = await storeTraces(ctx, { traces: [chatTrace("pulled")], integrationId: integration.id });
    expect((await rowOf(db, stored[0]!.id))?.integrationId).toBe(integration.id);
    await storeTraces(ctx, { traces: [chatTrace("pulled")] });
    expect((await rowOf(db, stored[0]!.id))?.integrationId).toBe(integration.id);
  });

  it("gives the event loop a turn between batches when storing and when merging many traces", async () => {
    const { ctx } = await storeSetup();
    const docs = Array.from({ length: 250 }, (_, i) => chatTrace(`turns-${i}`, { spans: [llmSpan(`s${i}`)] }));
    // Local SQLite settles its queries as microtasks: without yields no immediate would run until
    // the whole store finished. 250 traces are three batches to insert, then three slices to merge.
    const turnsDuring = async (work: () => Promise<unknown>) => {
      let turns = 0;
      let running = true;
      const tick = () => {
        if (running) {
          turns++;
          setImmediate(tick);
        }
      };
      setImmediate(tick);
      await work();
      running = false;
      return turns;
    };
    expect(await turnsDuring(() => storeTraces(ctx, { traces: docs }))).toBeGreaterThanOrEqual(3);
    const reimport = docs.map((doc, i) => ({ ...doc, spans: [...doc.spans, llmSpan(`again-${i}`)] }));
    expect(await turnsDuring(() => storeTraces(ctx, { traces: reimport }))).toBeGreaterThanOrEqual(3);
    // Sent again unchanged: nothing to write, but every document was still read and merged.
    expect(await turnsDuring(() => storeTraces(ctx, { traces: reimport }))).toBeGreaterThanOrEqual(3);
  });
});

describe("loading traces", () => {
  it("answers NOT_FOUND for another workspace's trace and leaves it out of views", async () => {
    const { ctx, db, deps } = await storeSetup();
    const { stored } = await storeTraces(ctx, { traces: [chatTrace("mine")] });
    const other = ctxFor({ db, deps }, (await createWorkspace(db)).id);
    await expect(loadTrace(other, stored[0]!.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await loadTraceViews(other, [stored[0]!.id])).size).toBe(0);
  });

  it("builds views for many traces at once, keyed by trace id", async () => {
    const { ctx } = await storeSetup();
    const docs = Array.from({ length: 150 }, (_, i) => chatTrace(`t${i}`, { spans: [llmSpan(`t${i}-s`)] }));
    const { stored } = await storeTraces(ctx, { traces: docs });
    const views = await loadTraceViews(ctx, [...stored.map((s) => s.id), "trace_unknown"]);
    expect(views.size).toBe(150);
    const first = views.get(stored[0]!.id);
    expect(first).toMatchObject({ id: stored[0]!.id, output: "Open Settings, then Security.", model: "gpt-4.1-mini" });
  });

  it("detects an altered, a missing and an extra chunk", async () => {
    const { ctx, db } = await storeSetup();
    const { stored } = await storeTraces(ctx, { traces: [chatTrace("a"), chatTrace("b"), chatTrace("c")] });
    const [a, b, c] = stored.map((s) => s.id) as [string, string, string];
    await db.update(tracePayloadChunks).set({ body: "{}" }).where(eq(tracePayloadChunks.traceId, a));
    await db.delete(tracePayloadChunks).where(eq(tracePayloadChunks.traceId, b));
    await db.insert(tracePayloadChunks).values({ traceId: c, seq: 1, body: " " });
    for (const id of [a, b, c]) {
      await expect(loadTrace(ctx, id)).rejects.toMatchObject({ name: "CorruptTracePayloadError", traceId: id });
    }
    await expect(loadTraceViews(ctx, [a])).rejects.toMatchObject({ name: "CorruptTracePayloadError" });
  });

  it("reads a row stored without a payload from its columns", async () => {
    const { ctx, db } = await storeSetup();
    const { createTrace } = await import("../helpers/agent-factories");
    const row = await createTrace(db, { id: ctx.workspaceId }, { name: "bare", inputPreview: "hi" });
    expect(await loadTrace(ctx, row.id)).toMatchObject({ name: "bare", input: "hi", spans: [] });
  });
});

describe("iterateTraceIds", () => {
  it("walks every matching trace of the workspace once, page by page", async () => {
    const { ctx, db, ws, clock } = await storeSetup();
    const { iterateTraceIds } = await import("../../src/traces");
    const agent = await createAgent(db, ws);
    await createVersion(db, agent, { active: true });
    const early = await storeTraces(ctx, { traces: [chatTrace("e1"), chatTrace("e2", { spans: [span("x")] })] });
    clock.advance(1000);
    const late = await storeTraces(ctx, { traces: Array.from({ length: 7 }, (_, i) => chatTrace(`l${i}`)) });
    const other = ctxFor({ db, deps: ctx.deps }, (await createWorkspace(db)).id);
    await storeTraces(other, { traces: [chatTrace("theirs")] });
    const collect = async (filter: Parameters<typeof iterateTraceIds>[1]) => {
      const ids: string[] = [];
      for await (const id of iterateTraceIds(ctx, { pageSize: 3, ...filter })) {
        ids.push(id);
      }
      return ids;
    };
    const all = [...early.stored, ...late.stored].map((s) => s.id).sort();
    expect(await collect({})).toEqual(all);
    expect(await collect({ agentId: agent.id })).toEqual(all.filter((id) => id !== early.stored[1]!.id));
    expect(await collect({ importedSince: "2026-01-01T00:00:01.000Z" })).toEqual(late.stored.map((s) => s.id).sort());
    expect(await collect({ source: "upload" })).toEqual([]);
  });
});

describe("writePreparedTraces (rows prepared on another thread)", () => {
  const draftOf = (external_id: string, spanId: string, startedAt: number) => {
    const [prepared] = prepareTraces(
      [trace([span(spanId, { started_at: at(startedAt) })], { external_id, source: "otlp" })],
      {
        maxBytes: 1024 * 1024,
        sha256Hex,
      },
    );
    if (!prepared || prepared instanceof Error) {
      throw new Error("expected a prepared trace");
    }
    return rowDraftOf(prepared);
  };

  it("inserts new rows as prepared and merges one the workspace already has", async () => {
    const { ctx } = await storeSetup();
    const first = await writePreparedTraces(ctx, [draftOf("known", "a", 0), draftOf("fresh", "x", 0)]);
    expect(first.stored.map((s) => [s.external_id, s.created])).toEqual([
      ["known", true],
      ["fresh", true],
    ]);
    const again = await writePreparedTraces(ctx, [draftOf("known", "b", 1)]);
    expect(again.stored).toEqual([{ ...first.stored[0], created: false }]);
    expect((await loadTrace(ctx, first.stored[0]!.id)).spans.map((s) => s.span_id)).toEqual(["a", "b"]);
  });

  it("ends two concurrent writes of the same new trace as one row holding both documents", async () => {
    const { ctx, db } = await storeSetup();
    const [a, b] = await Promise.all([
      writePreparedTraces(ctx, [draftOf("race", "a", 0)]),
      writePreparedTraces(ctx, [draftOf("race", "b", 1)]),
    ]);
    expect(a.stored[0]!.id).toBe(b.stored[0]!.id);
    expect([a.stored[0]!.created, b.stored[0]!.created].sort()).toEqual([false, true]);
    expect(await db.select().from(traces).where(eq(traces.externalId, "race"))).toHaveLength(1);
    expect((await loadTrace(ctx, a.stored[0]!.id)).spans.map((s) => s.span_id)).toEqual(["a", "b"]);
  });
});
