import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  EvalExecutionPage,
  ExecuteEvalResponse,
  ExecutionDetailSchema,
  TraceExecutionsSchema,
} from "../../src/api/evals/execution.schemas";
import { jobs } from "../../src/db/schema";
import { createAgent, createFeedback, createTrace } from "../helpers/agent-factories";
import { expectError, makeTestApp, readJson } from "../helpers/app";
import { createEval, createExecution } from "../helpers/eval-factories";
import { createWorkspace } from "../helpers/factories";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const agent = await createAgent(t.db, ws);
  const row = await createEval(t.db, ws, agent, { name: "Mentions settings" });
  const as = (path: string, options: Parameters<typeof t.request>[1] = {}) =>
    t.request(path, { workspace: ws.id, ...options });
  return { ...t, ws, agent, row, as };
}

describe("POST /api/evals/:id/execute", () => {
  it("queues an execute job for explicit ids (202) with the distinct ids as the estimate", async () => {
    const { as, row, db, ws } = await setup();
    const [a, b] = [await createTrace(db, ws), await createTrace(db, ws)];
    const res = await as(`/api/evals/${row.id}/execute`, {
      method: "POST",
      body: { trace_ids: [a.id, b.id, a.id], force: true },
    });
    expect(res.status).toBe(202);
    const body = ExecuteEvalResponse.parse(await readJson(res));
    expect(body).toMatchObject({ status: "queued", estimated_count: 2 });
    const [job] = await db.select().from(jobs).where(eq(jobs.id, body.job_id));
    expect(job).toMatchObject({ type: "execute", workspaceId: ws.id, agentId: row.agentId });
    expect(job?.metadata).toMatchObject({ eval_id: row.id, trace_ids: [a.id, b.id, a.id], force: true });
  });

  it("estimates a target set by counting it (labeled by default)", async () => {
    const { as, row, db, ws, agent } = await setup();
    await createFeedback(db, ws, await createTrace(db, ws), { agentId: agent.id });
    await createTrace(db, ws);
    const res = await as(`/api/evals/${row.id}/execute`, { method: "POST", body: {} });
    expect(ExecuteEvalResponse.parse(await readJson(res)).estimated_count).toBe(1);
    const since = await as(`/api/evals/${row.id}/execute`, {
      method: "POST",
      body: { target: "since", since: "2025-12-31T23:00:00+01:00" },
    });
    expect(since.status).toBe(202);
    const [job] = await db
      .select()
      .from(jobs)
      .where(eq(jobs.id, ExecuteEvalResponse.parse(await readJson(since)).job_id));
    expect(job?.metadata).toMatchObject({ target: "since", since: "2025-12-31T22:00:00.000Z", force: false });
  });

  it("rejects contradictory or oversized requests with 400 and other workspaces' evals with 404", async () => {
    const { as, row, db } = await setup();
    const path = `/api/evals/${row.id}/execute`;
    for (const body of [
      { trace_ids: ["trace_a"], target: "all" },
      { trace_ids: ["trace_a"], since: "2026-01-01T00:00:00Z" },
      { target: "since" },
      { since: "2026-01-01T00:00:00Z" },
      { target: "all", since: "2026-01-01T00:00:00Z" },
      { target: "since", since: "yesterday" },
      { target: "some" },
      { trace_ids: [] },
      { trace_ids: ["not an id"] },
      { trace_ids: Array.from({ length: 10_001 }, (_, i) => `trace_${i}`) },
      { force: "yes" },
    ]) {
      await expectError(await as(path, { method: "POST", body }), 400, "VALIDATION_ERROR");
    }
    const theirWs = await createWorkspace(db);
    const theirs = await createEval(db, theirWs, await createAgent(db, theirWs));
    await expectError(await as(`/api/evals/${theirs.id}/execute`, { method: "POST", body: {} }), 404, "NOT_FOUND");
  });

  it("accepts 10,000 ids", async () => {
    const { as, row } = await setup();
    const ids = Array.from({ length: 10_000 }, (_, i) => `trace_${i}`);
    const res = await as(`/api/evals/${row.id}/execute`, { method: "POST", body: { trace_ids: ids } });
    expect(ExecuteEvalResponse.parse(await readJson(res)).estimated_count).toBe(10_000);
  });
});

describe("GET /api/evals/:id/executions", () => {
  it("lists current executions newest first with trace summaries, filters and cursors", async () => {
    const { as, row, db, ws } = await setup();
    const traces = [];
    for (let i = 0; i < 4; i++) {
      traces.push(
        await createTrace(db, ws, {
          inputPreview: `q${i}`,
          outputPreview: `a${i}`,
          startedAt: `2025-01-0${i + 1}T00:00:00.000Z`,
        }),
      );
    }
    const rows = [
      await createExecution(db, ws, row, traces[0]!, { executedAt: "2026-01-01T00:00:01.000Z", predictedResult: true }),
      await createExecution(db, ws, row, traces[1]!, {
        executedAt: "2026-01-01T00:00:02.000Z",
        predictedResult: false,
      }),
      await createExecution(db, ws, row, traces[2]!, {
        executedAt: "2026-01-01T00:00:03.000Z",
        predictedResult: null,
        error: "boom",
        errorKind: "runtime",
      }),
      await createExecution(db, ws, row, traces[3]!, { executedAt: "2026-01-01T00:00:03.000Z", predictedResult: true }),
    ];
    const path = `/api/evals/${row.id}/executions`;
    const first = EvalExecutionPage.parse(await readJson(await as(`${path}?limit=2`)));
    const newestFirst = [rows[3]!, rows[2]!].sort((x, y) => (x.id < y.id ? 1 : -1)).map((r) => r.id);
    expect(first.executions.map((e) => e.id)).toEqual(newestFirst);
    const second = EvalExecutionPage.parse(await readJson(await as(`${path}?limit=2&cursor=${first.next_cursor}`)));
    expect(second.executions.map((e) => e.id)).toEqual([rows[1]!.id, rows[0]!.id]);
    expect(second.executions[1]).toMatchObject({
      trace_id: traces[0]!.id,
      result: true,
      trace_summary: {
        timestamp: "2025-01-01T00:00:00.000Z",
        input_preview: "q0",
        output_preview: "a0",
        source: "api",
      },
    });
    const passed = EvalExecutionPage.parse(await readJson(await as(`${path}?result=true`)));
    expect(passed.executions.map((e) => e.id).sort()).toEqual([rows[0]!.id, rows[3]!.id].sort());
    const failed = EvalExecutionPage.parse(await readJson(await as(`${path}?result=false`)));
    expect(failed.executions.map((e) => e.id)).toEqual([rows[1]!.id]);
    const errored = EvalExecutionPage.parse(await readJson(await as(`${path}?has_error=true`)));
    expect(errored.executions).toMatchObject([{ id: rows[2]!.id, error: "boom", error_kind: "runtime", result: null }]);
    const clean = EvalExecutionPage.parse(await readJson(await as(`${path}?has_error=false`)));
    expect(clean.executions).toHaveLength(3);
    await expectError(await as(`${path}?result=maybe`), 400, "VALIDATION_ERROR");
    await expectError(await as(`${path}?cursor=xyz`), 400, "VALIDATION_ERROR");
  });
});

describe("GET /api/traces/:id/executions", () => {
  it("lists each eval's execution on the trace with the eval's name (not its code)", async () => {
    const { as, row, db, ws, agent } = await setup();
    const other = await createEval(db, ws, agent, { name: "Second" });
    const trace = await createTrace(db, ws);
    await createExecution(db, ws, row, trace, { executedAt: "2026-01-01T00:00:01.000Z" });
    await createExecution(db, ws, other, trace, { executedAt: "2026-01-01T00:00:02.000Z", predictedResult: false });
    const body = TraceExecutionsSchema.parse(await readJson(await as(`/api/traces/${trace.id}/executions`)));
    expect(body.executions.map((e) => [e.eval_id, e.eval_name, e.eval_version, e.result])).toEqual([
      [other.id, "Second", 2, false],
      [row.id, "Mentions settings", 1, true],
    ]);
    const empty = TraceExecutionsSchema.parse(
      await readJson(await as(`/api/traces/${(await createTrace(db, ws)).id}/executions`)),
    );
    expect(empty.executions).toEqual([]);
  });

  it("answers 404 for another workspace's trace", async () => {
    const { as, db } = await setup();
    await expectError(
      await as(`/api/traces/${(await createTrace(db, await createWorkspace(db))).id}/executions`),
      404,
      "NOT_FOUND",
    );
  });
});

describe("GET /api/eval-executions/:traceId/:evalId", () => {
  it("returns the execution with console output, the human label and the contradiction flag", async () => {
    const { as, row, db, ws } = await setup();
    const cases = [
      { rating: "positive", pass: false, expected: true },
      { rating: "positive", pass: true, expected: false },
      { rating: "negative", pass: true, expected: true },
      { rating: "negative", pass: false, expected: false },
      { rating: "neutral", pass: true, expected: false },
      { rating: null, pass: true, expected: null },
      { rating: "positive", pass: null, expected: null },
    ] as const;
    for (const c of cases) {
      const trace = await createTrace(db, ws);
      if (c.rating) {
        await createFeedback(db, ws, trace, { rating: c.rating, notes: "n" });
      }
      await createExecution(db, ws, row, trace, { predictedResult: c.pass, consoleOutput: "log line" });
      const res = await as(`/api/eval-executions/${trace.id}/${row.id}`);
      const body = ExecutionDetailSchema.parse(await readJson(res));
      expect(body.is_contradiction, JSON.stringify(c)).toBe(c.expected);
      expect(body.human_feedback).toEqual(c.rating ? { rating: c.rating, notes: "n" } : null);
      expect(body).toMatchObject({ console_output: "log line", eval_name: "Mentions settings", result: c.pass });
    }
  });

  it("answers 404 when the pair has no execution or belongs to another workspace", async () => {
    const { as, row, db, ws } = await setup();
    await expectError(await as(`/api/eval-executions/${(await createTrace(db, ws)).id}/${row.id}`), 404, "NOT_FOUND");
    const theirWs = await createWorkspace(db);
    const theirEval = await createEval(db, theirWs, await createAgent(db, theirWs));
    const theirTrace = await createTrace(db, theirWs);
    await createExecution(db, theirWs, theirEval, theirTrace);
    await expectError(await as(`/api/eval-executions/${theirTrace.id}/${theirEval.id}`), 404, "NOT_FOUND");
  });
});
