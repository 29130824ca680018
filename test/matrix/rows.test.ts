import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Ctx } from "../../src/context";
import { evals } from "../../src/db/schema";
import { getMatrix, getMatrixStats, type MatrixPosition, refreshEvalMetrics } from "../../src/matrix";
import { createAgent, createFeedback, createTrace, createVersion } from "../helpers/agent-factories";
import { makeTestApp } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";
import { createEval, createExecution, createLabeledRows } from "../helpers/matrix-factories";

const t = await makeTestApp();

async function setup() {
  const ws = await createWorkspace(t.db);
  const agent = await createAgent(t.db, ws);
  const ev = await createEval(t.db, ws, agent);
  const ctx: Ctx = {
    db: t.db,
    workspaceId: ws.id,
    actor: { kind: "local", role: "owner", apiKeyId: undefined },
    requestId: "req-test",
    deps: t.deps,
  };
  return { ws, agent, ev, ctx };
}

describe("matrix paging", () => {
  it("pages over labels created at the same instant without losing or repeating a row", async () => {
    const { ctx, ws, agent, ev } = await setup();
    const sameInstant = "2026-02-01T10:00:00.000Z";
    const ids = await createLabeledRows(
      t.db,
      ws,
      agent,
      [ev],
      Array.from({ length: 7 }, (_, i) => ({
        rating: i % 2 ? "negative" : "positive",
        outcomes: [true],
        labeledAt: i < 5 ? sameInstant : "2026-02-01T09:00:00.000Z",
      })),
    );
    const seen: string[] = [];
    let after: MatrixPosition | undefined;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const page = await getMatrix(ctx, {
        agentId: agent.id,
        evalIds: [ev.id],
        filters: { mode: "all" },
        after,
        limit: 2,
      });
      seen.push(...page.rows.map((r) => r.traceId));
      const last = page.rows.at(-1);
      if (!page.hasMore || !last) {
        break;
      }
      after = { createdAt: last.labelCreatedAt, traceId: last.traceId };
    }
    // The two earlier labels first, then the five tied ones by trace id.
    const expected = [...ids.slice(5).sort(), ...ids.slice(0, 5).sort()];
    expect(seen).toEqual(expected);
  });
});

describe("which labels are the agent's", () => {
  it("takes labels naming the agent and agent-less labels on traces of its versions, nothing else", async () => {
    const { ctx, ws, agent, ev } = await setup();
    const version = await createVersion(t.db, agent);
    const other = await createAgent(t.db, ws);
    const named = await createTrace(t.db, ws);
    const assigned = await createTrace(t.db, ws, { agentVersionId: version.id, assignmentStatus: "assigned" });
    const namesOther = await createTrace(t.db, ws, { agentVersionId: version.id, assignmentStatus: "assigned" });
    const unrelated = await createTrace(t.db, ws);
    await createFeedback(t.db, ws, named, { agentId: agent.id, createdAt: "2026-01-01T00:00:01.000Z" });
    await createFeedback(t.db, ws, assigned, { agentId: null, createdAt: "2026-01-01T00:00:02.000Z" });
    await createFeedback(t.db, ws, namesOther, { agentId: other.id, createdAt: "2026-01-01T00:00:03.000Z" });
    await createFeedback(t.db, ws, unrelated, { agentId: null, createdAt: "2026-01-01T00:00:04.000Z" });
    const page = await getMatrix(ctx, { agentId: agent.id, evalIds: [ev.id], filters: { mode: "all" }, limit: 50 });
    expect(page.rows.map((r) => r.traceId)).toEqual([named.id, assigned.id]);
    expect(page.stats.total).toBe(2);
  });

  it("answers NOT_FOUND for another workspace's agent and for an eval that is not the agent's", async () => {
    const { ctx, ws, agent, ev } = await setup();
    const elsewhere = await setup();
    const otherAgentsEval = await createEval(t.db, ws, await createAgent(t.db, ws));
    const attempts = [
      { agentId: elsewhere.agent.id, evalIds: [elsewhere.ev.id] },
      { agentId: agent.id, evalIds: [ev.id, elsewhere.ev.id] },
      { agentId: agent.id, evalIds: [otherAgentsEval.id] },
    ];
    for (const attempt of attempts) {
      await expect(getMatrixStats(ctx, { ...attempt, filters: { mode: "all" } })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
    }
  });

  it("never counts another workspace's executions or labels", async () => {
    const { ctx, ws, agent, ev } = await setup();
    const [trace] = await createLabeledRows(t.db, ws, agent, [ev], [{ rating: "positive", outcomes: [true] }]);
    const elsewhere = await createWorkspace(t.db);
    const foreignTrace = await createTrace(t.db, elsewhere);
    await createFeedback(t.db, elsewhere, foreignTrace, { agentId: agent.id });
    await createExecution(t.db, elsewhere, ev, foreignTrace, false);
    const page = await getMatrix(ctx, { agentId: agent.id, evalIds: [ev.id], filters: { mode: "all" }, limit: 50 });
    expect(page.rows.map((r) => r.traceId)).toEqual([trace]);
    expect(page.stats.evals[0]).toMatchObject({ total: 1, n: 1, confusion: { tp: 1 } });
  });
});

describe("refreshEvalMetrics", () => {
  it("stores the unfiltered agreement and the execution counts on the eval", async () => {
    const { ctx, ws, agent, ev } = await setup();
    // TP, TP, FN, TN, FP, error, neutral pass; plus one execution on an unlabeled trace.
    await createLabeledRows(
      t.db,
      ws,
      agent,
      [ev],
      [
        { rating: "positive", outcomes: [true] },
        { rating: "positive", outcomes: [true] },
        { rating: "positive", outcomes: [false] },
        { rating: "negative", outcomes: [false] },
        { rating: "negative", outcomes: [true] },
        { rating: "negative", outcomes: ["error"] },
        { rating: "neutral", outcomes: [true] },
      ],
    );
    await createExecution(t.db, ws, ev, await createTrace(t.db, ws), "error");
    t.clock.set("2026-03-01T12:00:00.000Z");
    await refreshEvalMetrics(ctx, ev.id);
    const [row] = await t.db.select().from(evals).where(eq(evals.id, ev.id));
    // n = 5: accuracy 3/5, precision 2/3, recall 2/3, F1 4/6, coverage 1/2, FFR 1/3;
    // pe = ((2+1)(2+1) + (1+1)(1+1))/25 = 13/25, po = 15/25 → κ = (2/25)/(12/25) = 1/6
    expect(row).toMatchObject({
      confusionMatrix: { tp: 2, fp: 1, tn: 1, fn: 1 },
      contradictionCount: 2,
      executionCount: 8,
      errorCount: 2,
      metricsUpdatedAt: "2026-03-01T12:00:00.000Z",
    });
    expect(row?.accuracy).toBeCloseTo(0.6, 12);
    expect(row?.precision).toBeCloseTo(2 / 3, 12);
    expect(row?.recall).toBeCloseTo(2 / 3, 12);
    expect(row?.f1Score).toBeCloseTo(2 / 3, 12);
    expect(row?.cohenKappa).toBeCloseTo(1 / 6, 12);
    expect(row?.coverage).toBeCloseTo(0.5, 12);
    expect(row?.falseFailureRate).toBeCloseTo(1 / 3, 12);
  });

  it("stores nulls for an eval with no labeled executions", async () => {
    const { ctx, ev } = await setup();
    await refreshEvalMetrics(ctx, ev.id);
    const [row] = await t.db.select().from(evals).where(eq(evals.id, ev.id));
    expect(row).toMatchObject({ accuracy: null, cohenKappa: null, executionCount: 0, errorCount: 0 });
  });

  it("answers NOT_FOUND for another workspace's eval", async () => {
    const { ctx } = await setup();
    const elsewhere = await setup();
    await expect(refreshEvalMetrics(ctx, elsewhere.ev.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
