import { describe, expect, it } from "vitest";
import type { Ctx } from "../../src/context";
import { type EvalStats, getMatrix, getMatrixStats, type MatrixFilters } from "../../src/matrix";
import { createAgent } from "../helpers/agent-factories";
import { makeTestApp } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";
import { createEval, createLabeledRows, type LabeledRow } from "../helpers/matrix-factories";

const t = await makeTestApp();

async function setup(evalCount = 2) {
  const ws = await createWorkspace(t.db);
  const agent = await createAgent(t.db, ws);
  const evalRows = [];
  for (let i = 0; i < evalCount; i++) {
    evalRows.push(await createEval(t.db, ws, agent, { name: `eval ${i + 1}` }));
  }
  const ctx: Ctx = {
    db: t.db,
    workspaceId: ws.id,
    actor: { kind: "local", role: "owner", apiKeyId: undefined },
    requestId: "req-test",
    deps: t.deps,
  };
  return { ws, agent, evals: evalRows, evalIds: evalRows.map((e) => e.id), ctx };
}

// Ten labeled rows, two evals; execution time of row i is 10·i ms. Per eval, by hand:
//   eval 1: TP rows 1,2,10 · FN row 3 · TN row 4 · FP row 5 · error row 6 · neutral rows 7,8 · pending row 9
//   eval 2: TP row 10 · FN row 1 · FP rows 4,5 · TN row 6 · errors rows 2,9 · neutral row 8 · pending rows 3,7
const TEN_ROWS: LabeledRow[] = [
  { rating: "positive", outcomes: [true, false] },
  { rating: "positive", outcomes: [true, "error"] },
  { rating: "positive", outcomes: [false, null] },
  { rating: "negative", outcomes: [false, true] },
  { rating: "negative", outcomes: [true, true] },
  { rating: "negative", outcomes: ["error", false] },
  { rating: "neutral", outcomes: [true, null] },
  { rating: "neutral", outcomes: [false, false] },
  { rating: "negative", outcomes: [null, "error"] },
  { rating: "positive", outcomes: [true, true] },
].map((row, i) => ({ ...row, ms: 10 * (i + 1) }) as LabeledRow);

async function withTenRows() {
  const s = await setup(2);
  const traceIds = await createLabeledRows(t.db, s.ws, s.agent, s.evals, TEN_ROWS);
  return { ...s, traceIds };
}

const ALL: MatrixFilters = { mode: "all" };

function byEval(stats: EvalStats[]) {
  return Object.fromEntries(stats.map((s) => [s.evalId, s]));
}

describe("matrix stats over the whole filtered set", () => {
  it("counts every bucket and agreement figure of each eval by hand", async () => {
    const { ctx, agent, evalIds } = await withTenRows();
    const { stats } = await getMatrixStats(ctx, { agentId: agent.id, evalIds, filters: ALL });
    expect(stats.total).toBe(10);
    const [e1, e2] = stats.evals;
    // eval 1: TP=3 FN=1 FP=1 TN=1, n=6; pe = ((3+1)(3+1) + (1+1)(1+1))/36 = 20/36, po = 4/6
    expect(e1).toMatchObject({ total: 10, n: 6, confusion: { tp: 3, fn: 1, fp: 1, tn: 1 } });
    expect(e1).toMatchObject({ contradictionCount: 2, errorCount: 1, neutralCount: 2, pendingCount: 1 });
    expect(e1?.accuracy).toBeCloseTo(4 / 6, 12);
    expect(e1?.precision).toBeCloseTo(0.75, 12); // 3/4
    expect(e1?.recall).toBeCloseTo(0.75, 12); // 3/4
    expect(e1?.f1).toBeCloseTo(0.75, 12); // 6/(6+1+1)
    expect(e1?.cohenKappa).toBeCloseTo(0.25, 12); // (4/6 − 20/36)/(1 − 20/36) = (4/36)/(16/36)
    expect(e1?.coverage).toBeCloseTo(0.5, 12); // TN/(TN+FP) = 1/2
    expect(e1?.falseFailureRate).toBeCloseTo(0.25, 12); // FN/(FN+TP) = 1/4
    expect(e1?.meanLatencyMs).toBeCloseTo(460 / 9, 9); // rows 1–8 and 10: (10+…+80+100)/9
    // eval 2: TP=1 FN=1 FP=2 TN=1, n=5; pe = ((1+2)(1+1) + (1+1)(2+1))/25 = 12/25, po = 2/5
    expect(e2).toMatchObject({ n: 5, confusion: { tp: 1, fn: 1, fp: 2, tn: 1 } });
    expect(e2).toMatchObject({ contradictionCount: 3, errorCount: 2, neutralCount: 1, pendingCount: 2 });
    expect(e2?.accuracy).toBeCloseTo(0.4, 12);
    expect(e2?.precision).toBeCloseTo(1 / 3, 12);
    expect(e2?.recall).toBeCloseTo(0.5, 12);
    expect(e2?.f1).toBeCloseTo(0.4, 12); // 2/(2+2+1)
    expect(e2?.cohenKappa).toBeCloseTo((0.4 - 0.48) / 0.52, 12);
    expect(e2?.coverage).toBeCloseTo(1 / 3, 12);
    expect(e2?.falseFailureRate).toBeCloseTo(0.5, 12);
    expect(e2?.meanLatencyMs).toBeCloseTo(450 / 8, 9); // rows 1,2,4,5,6,8,9,10
  });

  it("filters before counting: contradictions only, errors only, rating and label date", async () => {
    const { ctx, agent, evalIds } = await withTenRows();
    const stats = (filters: MatrixFilters) => getMatrixStats(ctx, { agentId: agent.id, evalIds, filters });
    // Any eval contradicts: eval 1 rows 3,5; eval 2 rows 1,4,5 → rows 1,3,4,5.
    const contradictions = (await stats({ mode: "contradictions_only" })).stats;
    expect(contradictions.total).toBe(4);
    // eval 1 over rows 1,3,4,5: TP, FN, TN, FP.
    expect(contradictions.evals[0]).toMatchObject({ n: 4, accuracy: 0.5, confusion: { tp: 1, fn: 1, tn: 1, fp: 1 } });
    // Any eval errored: eval 1 row 6; eval 2 rows 2,9 → rows 2,6,9.
    const errors = (await stats({ mode: "errors_only" })).stats;
    expect(errors.total).toBe(3);
    expect(errors.evals[1]).toMatchObject({ errorCount: 2, n: 1, confusion: { tn: 1 } });
    const positives = (await stats({ mode: "all", ratings: ["positive"] })).stats;
    expect(positives.total).toBe(4); // rows 1,2,3,10
    expect(positives.evals[0]).toMatchObject({ confusion: { tp: 3, fn: 1, fp: 0, tn: 0 }, coverage: null });
    // Labels are one second apart from midnight: rows 3–5.
    const dated = await stats({
      mode: "all",
      dateFrom: "2026-01-01T00:00:02.000Z",
      dateTo: "2026-01-01T00:00:04.000Z",
    });
    expect(dated.stats.total).toBe(3);
  });

  it("reports neutral labels apart: all neutral gives no agreement figures", async () => {
    const { ctx, agent, evalIds } = await withTenRows();
    const { stats } = await getMatrixStats(ctx, {
      agentId: agent.id,
      evalIds,
      filters: { mode: "all", ratings: ["neutral"] },
    });
    expect(stats.evals[0]).toMatchObject({ total: 2, n: 0, neutralCount: 2, contradictionCount: 0 });
    expect(stats.evals[0]).toMatchObject({ accuracy: null, precision: null, recall: null, f1: null, cohenKappa: null });
  });

  it("handles an agent with no labels", async () => {
    const { ctx, agent, evalIds } = await setup(1);
    const { stats } = await getMatrixStats(ctx, { agentId: agent.id, evalIds, filters: ALL });
    expect(stats).toEqual({
      total: 0,
      evals: [
        expect.objectContaining({ n: 0, accuracy: null, cohenKappa: null, pendingCount: 0, meanLatencyMs: null }),
      ],
    });
  });

  it("handles an eval whose every execution errored", async () => {
    const { ctx, agent, ws, evals, evalIds } = await setup(1);
    await createLabeledRows(t.db, ws, agent, evals, [
      { rating: "positive", outcomes: ["error"], ms: 5 },
      { rating: "negative", outcomes: ["error"], ms: 15 },
    ]);
    const { stats } = await getMatrixStats(ctx, { agentId: agent.id, evalIds, filters: ALL });
    expect(stats.evals[0]).toMatchObject({ total: 2, n: 0, errorCount: 2, accuracy: null, meanLatencyMs: 10 });
  });
});

describe("matrix rows", () => {
  it("shows each cell's prediction, contradiction and error, and the trace summary", async () => {
    const { ctx, agent, evalIds, traceIds } = await withTenRows();
    const page = await getMatrix(ctx, { agentId: agent.id, evalIds, filters: ALL, limit: 3 });
    const [e1, e2] = evalIds as [string, string];
    expect(page.rows.map((r) => r.traceId)).toEqual(traceIds.slice(0, 3));
    expect(page.rows[0]).toMatchObject({
      label: { rating: "positive" },
      trace: { inputPreview: "input 0", outputPreview: "output 0", source: "api" },
      cells: {
        [e1]: { pass: true, isContradiction: false, executionTimeMs: 10, error: null },
        [e2]: { pass: false, isContradiction: true, score: 0, reason: "looks wrong" },
      },
    });
    expect(page.rows[1]?.cells[e2]).toMatchObject({ pass: null, error: "TypeError: boom", isContradiction: false });
    expect(page.rows[2]?.cells[e2]).toBeNull();
    expect(byEval(page.stats.evals)[e1]?.total).toBe(10);
  });

  it("applies filters before the page limit, so a filtered page is full, and stats ignore the page", async () => {
    const { ctx, agent, evalIds, traceIds } = await withTenRows();
    const input = { agentId: agent.id, evalIds, filters: { mode: "contradictions_only" as const }, limit: 2 };
    const first = await getMatrix(ctx, input);
    expect(first.rows.map((r) => r.traceId)).toEqual([traceIds[0], traceIds[2]]);
    expect(first.hasMore).toBe(true);
    const last = first.rows.at(-1);
    const second = await getMatrix(ctx, {
      ...input,
      after: { createdAt: last?.labelCreatedAt ?? "", traceId: last?.traceId ?? "" },
    });
    expect(second.rows.map((r) => r.traceId)).toEqual([traceIds[3], traceIds[4]]);
    expect(second.hasMore).toBe(false);
    expect(first.stats).toEqual(second.stats);
    expect(first.stats.total).toBe(4);
  });
});
