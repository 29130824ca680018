import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Ctx } from "../../src/context";
import { feedback, feedbackHistory, traces } from "../../src/db/schema";
import { labelTrace, listFeedback, updateFeedback } from "../../src/feedback";
import { createTrace } from "../helpers/agent-factories";
import { makeTestApp } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const ctx: Ctx = {
    db: t.db,
    workspaceId: ws.id,
    actor: { kind: "api_key", role: "member", apiKeyId: "key_importer" },
    requestId: "req-test",
    deps: t.deps,
  };
  return { ...t, ws, ctx };
}

describe("labelTrace (the service other features call)", () => {
  it("creates, then updates the one label of a trace, keeping notes and agent it was not given", async () => {
    const { ctx, db, ws } = await setup();
    const trace = await createTrace(db, ws);
    const created = await labelTrace(ctx, { traceId: trace.id, rating: "positive", notes: "from langfuse" });
    expect(created).toMatchObject({ created: true, feedback: { createdBy: "key_importer", notes: "from langfuse" } });
    const updated = await labelTrace(ctx, { traceId: trace.id, rating: "negative" });
    expect(updated).toMatchObject({ created: false, feedback: { id: created.feedback.id, notes: "from langfuse" } });
    expect(await db.select().from(feedback)).toHaveLength(1);
  });

  it("lets concurrent first labels of one trace race safely: one creates, the others update", async () => {
    const { ctx, db, ws } = await setup();
    const trace = await createTrace(db, ws);
    const ratings = ["positive", "negative", "neutral", "positive", "negative"] as const;
    const results = await Promise.all(ratings.map((rating) => labelTrace(ctx, { traceId: trace.id, rating })));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.feedback.id)).size).toBe(1);
    const history = await db.select().from(feedbackHistory).where(eq(feedbackHistory.traceId, trace.id));
    expect(history.filter((h) => h.change === "created")).toHaveLength(1);
    expect(await db.select().from(feedback).where(eq(feedback.traceId, trace.id))).toHaveLength(1);
  });

  it("writes nothing when a re-import brings the same rating and notes", async () => {
    const { ctx, db, ws } = await setup();
    const trace = await createTrace(db, ws);
    await labelTrace(ctx, { traceId: trace.id, rating: "neutral", notes: "n" });
    await labelTrace(ctx, { traceId: trace.id, rating: "neutral", notes: "n" });
    expect(await db.select().from(feedbackHistory)).toHaveLength(1);
  });

  it("keeps labels when the trace is re-imported (the same row updated in place)", async () => {
    const { ctx, db, ws } = await setup();
    const trace = await createTrace(db, ws, { source: "langfuse", externalId: "lf-1", name: "first import" });
    await labelTrace(ctx, { traceId: trace.id, rating: "positive" });
    // What an import does with a trace it has seen: upsert on (workspace, source, external id).
    await db
      .insert(traces)
      .values({ id: "trace_reimport", workspaceId: ws.id, source: "langfuse", externalId: "lf-1", name: "second" })
      .onConflictDoUpdate({
        target: [traces.workspaceId, traces.source, traces.externalId],
        set: { name: "second import" },
      });
    const page = await listFeedback(ctx, { limit: 10 });
    expect(page.items.map((f) => [f.traceId, f.rating])).toEqual([[trace.id, "positive"]]);
  });

  it("writes a label and its history row atomically: if the history insert fails, the label is unchanged", async () => {
    const { ctx, db, ws, client } = await setup();
    const trace = await createTrace(db, ws);
    const { feedback: label } = await labelTrace(ctx, { traceId: trace.id, rating: "positive" });
    await client.execute(
      "CREATE TRIGGER refuse_history BEFORE INSERT ON feedback_history BEGIN SELECT RAISE(ABORT, 'refused'); END",
    );
    await expect(updateFeedback(ctx, label.id, { rating: "negative" })).rejects.toThrow();
    await expect(labelTrace(ctx, { traceId: (await createTrace(db, ws)).id, rating: "neutral" })).rejects.toThrow();
    await client.execute("DROP TRIGGER refuse_history");
    const rows = await db.select().from(feedback).where(eq(feedback.workspaceId, ws.id));
    expect(rows.map((r) => r.rating)).toEqual(["positive"]);
  });
});
