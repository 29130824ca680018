import { describe, expect, it } from "vitest";
import { MatrixResponse, MatrixStatsResponse } from "../../src/api/matrix.schemas";
import { createAgent } from "../helpers/agent-factories";
import { makeTestApp, readJson } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";
import { createEval, createLabeledRows } from "../helpers/matrix-factories";

const t = await makeTestApp();

async function agentWithRows() {
  const ws = await createWorkspace(t.db);
  const agent = await createAgent(t.db, ws);
  const [e1, e2] = [await createEval(t.db, ws, agent, { name: "tone" }), await createEval(t.db, ws, agent)];
  // e1: TP, FN, FP, TN, error · e2: TP, TP, none, FP, TN
  const traceIds = await createLabeledRows(
    t.db,
    ws,
    agent,
    [e1, e2],
    [
      { rating: "positive", outcomes: [true, true] },
      { rating: "positive", outcomes: [false, true] },
      { rating: "negative", outcomes: [true, null] },
      { rating: "negative", outcomes: [false, true] },
      { rating: "neutral", outcomes: ["error", false] },
    ],
  );
  const base = `/api/agents/${agent.id}/matrix`;
  const get = (query: string) => t.request(`${base}?eval_ids=${e1.id},${e2.id}${query}`, { workspace: ws.id });
  return { ws, agent, e1, e2, traceIds, base, get };
}

describe("GET /api/agents/{id}/matrix", () => {
  it("answers rows, cells and whole-set stats in the documented shape", async () => {
    const { e1, e2, traceIds, get } = await agentWithRows();
    const res = await get("&limit=2");
    expect(res.status).toBe(200);
    const body = MatrixResponse.parse(await readJson(res));
    expect(body.rows.map((r) => r.trace_id)).toEqual(traceIds.slice(0, 2));
    expect(body.rows[1]).toMatchObject({
      human_feedback: { rating: "positive", notes: null },
      trace_summary: { input_preview: "input 1", source: "api" },
      predictions: {
        [e1.id]: { result: false, is_contradiction: true, reason: "looks wrong", error: null },
        [e2.id]: { result: true, is_contradiction: false },
      },
    });
    expect(body).toMatchObject({ total_traces: 5, has_more: true });
    // e1 over all five rows: TP FN FP TN + 1 error → n=4, accuracy 0.5, κ: pe = (2·2 + 2·2)/16 = 0.5 → 0
    expect(body.stats[e1.id]).toMatchObject({
      eval_name: "tone",
      total: 5,
      n: 4,
      accuracy: 0.5,
      cohen_kappa: 0,
      confusion_matrix: { tp: 1, fn: 1, fp: 1, tn: 1 },
      contradiction_count: 2,
      error_count: 1,
      neutral_count: 0,
      pending_count: 0,
      mean_latency_ms: 10,
    });
    // e2: TP TP FP (row 4) + neutral fail + pending → n=3, precision 2/3, coverage 0
    expect(body.stats[e2.id]).toMatchObject({ n: 3, neutral_count: 1, pending_count: 1, coverage: 0, recall: 1 });
  });

  it("pages with next_cursor until has_more is false, with the same stats on every page", async () => {
    const { traceIds, get } = await agentWithRows();
    const seen: string[] = [];
    let cursor = "";
    let stats: unknown;
    for (let i = 0; i < 5; i++) {
      const body = MatrixResponse.parse(await readJson(await get(`&limit=2${cursor}`)));
      seen.push(...body.rows.map((r) => r.trace_id));
      stats ??= body.stats;
      expect(body.stats).toEqual(stats);
      if (!body.next_cursor) {
        expect(body.has_more).toBe(false);
        break;
      }
      cursor = `&cursor=${body.next_cursor}`;
    }
    expect(seen).toEqual(traceIds);
  });

  it("filters rows before paging: errors only, contradictions only, rating", async () => {
    const { traceIds, get } = await agentWithRows();
    const ids = async (query: string) =>
      MatrixResponse.parse(await readJson(await get(query))).rows.map((r) => r.trace_id);
    expect(await ids("&filter=errors_only")).toEqual([traceIds[4]]);
    // e1 contradicts rows 2,3; e2 contradicts row 4 (negative labeled, pass)
    expect(await ids("&filter=contradictions_only&limit=3")).toEqual(traceIds.slice(1, 4));
    expect(await ids("&rating=negative,neutral")).toEqual(traceIds.slice(2));
  });

  it("refuses bad queries with 400 VALIDATION_ERROR", async () => {
    const { ws, base, e1 } = await agentWithRows();
    const eleven = Array.from({ length: 11 }, (_, i) => `eval_${i}x`).join(",");
    for (const query of [
      "",
      `?eval_ids=${eleven}`,
      `?eval_ids=${e1.id}&filter=everything`,
      `?eval_ids=${e1.id}&limit=201`,
      `?eval_ids=${e1.id}&rating=great`,
      `?eval_ids=${e1.id}&date_from=yesterday`,
      `?eval_ids=${e1.id}&cursor=not-a-cursor`,
      `?eval_ids=not an id`,
    ]) {
      const res = await t.request(`${base}${query}`, { workspace: ws.id });
      expect([query, res.status, (await readJson(res)).error.code]).toEqual([query, 400, "VALIDATION_ERROR"]);
    }
  });

  it("answers 404 for an eval of another agent and for another workspace's agent", async () => {
    const { ws, base, e1 } = await agentWithRows();
    const other = await createEval(t.db, ws, await createAgent(t.db, ws));
    const res = await t.request(`${base}?eval_ids=${e1.id},${other.id}`, { workspace: ws.id });
    expect(res.status).toBe(404);
    expect((await readJson(res)).error).toMatchObject({ code: "NOT_FOUND", message: `eval ${other.id} not found` });
    const stranger = await createWorkspace(t.db);
    const asStranger = await t.request(`${base}?eval_ids=${e1.id}`, { workspace: stranger.id });
    expect(asStranger.status).toBe(404);
  });
});

describe("GET /api/agents/{id}/matrix/stats", () => {
  it("answers the same stats as the matrix, without rows", async () => {
    const { ws, base, e1, e2, get } = await agentWithRows();
    const res = await t.request(`${base}/stats?eval_ids=${e1.id},${e2.id}&filter=contradictions_only`, {
      workspace: ws.id,
    });
    expect(res.status).toBe(200);
    const stats = MatrixStatsResponse.parse(await readJson(res));
    const matrix = MatrixResponse.parse(await readJson(await get("&filter=contradictions_only")));
    expect(stats).toEqual({ stats: matrix.stats, total_traces: 3 });
  });
});
