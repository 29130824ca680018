import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { EvalPage, EvalSchema } from "../../src/api/evals/schemas";
import { evalExecutions, evals } from "../../src/db/schema";
import { createAgent, createTrace } from "../helpers/agent-factories";
import { expectError, makeTestApp, readJson } from "../helpers/app";
import { createEval, createExecution, SETTINGS_EVAL } from "../helpers/eval-factories";
import { createWorkspace } from "../helpers/factories";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const agent = await createAgent(t.db, ws);
  const as = (path: string, options: Parameters<typeof t.request>[1] = {}) =>
    t.request(path, { workspace: ws.id, ...options });
  return { ...t, ws, agent, as };
}

describe("POST /api/evals", () => {
  it("creates a draft eval as version 1, then 2 (201)", async () => {
    const { as, agent } = await setup();
    const body = { agent_id: agent.id, name: " Mentions settings ", code: SETTINGS_EVAL, description: "d" };
    const res = await as("/api/evals", { method: "POST", body });
    expect(res.status).toBe(201);
    const created = EvalSchema.parse(await readJson(res));
    expect(created).toMatchObject({
      agent_id: agent.id,
      name: "Mentions settings",
      description: "d",
      version: 1,
      status: "draft",
      code: SETTINGS_EVAL,
      accuracy: null,
      execution_count: 0,
      auto_execute_enabled: false,
      monitoring_thresholds: null,
      created_at: "2026-01-01T00:00:00.000Z",
    });
    const second = EvalSchema.parse(await readJson(await as("/api/evals", { method: "POST", body })));
    expect(second.version).toBe(2);
  });

  it("numbers concurrent creates distinctly", async () => {
    const { as, agent, db } = await setup();
    const body = { agent_id: agent.id, name: "e", code: SETTINGS_EVAL };
    const statuses = await Promise.all(
      Array.from({ length: 5 }, async () => (await as("/api/evals", { method: "POST", body })).status),
    );
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    const rows = await db.select({ version: evals.version }).from(evals).where(eq(evals.agentId, agent.id));
    expect(rows.map((r) => r.version).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it("refuses code that does not compile, or defines no evaluate, with a clear 400", async () => {
    const { as, agent } = await setup();
    const broken = await expectError(
      await as("/api/evals", { method: "POST", body: { agent_id: agent.id, name: "e", code: "function evaluate( {" } }),
      400,
      "VALIDATION_ERROR",
    );
    expect(broken.error.message).toMatch(/^Eval code does not compile: /);
    expect(broken.error.details[0].path).toBe("code");
    const noEvaluate = await expectError(
      await as("/api/evals", { method: "POST", body: { agent_id: agent.id, name: "e", code: "const x = 1;" } }),
      400,
      "VALIDATION_ERROR",
    );
    expect(noEvaluate.error.message).toMatch(/evaluate/);
  });

  it("accepts code that compiles but throws on an empty trace", async () => {
    const { as, agent } = await setup();
    const code = "function evaluate(trace) { return trace.messages[0].content.length > 0; }";
    expect((await as("/api/evals", { method: "POST", body: { agent_id: agent.id, name: "e", code } })).status).toBe(
      201,
    );
  });

  it("answers 404 for another workspace's agent and 400 for bad bodies", async () => {
    const { as, db } = await setup();
    const theirs = await createAgent(db, await createWorkspace(db));
    await expectError(
      await as("/api/evals", { method: "POST", body: { agent_id: theirs.id, name: "e", code: SETTINGS_EVAL } }),
      404,
      "NOT_FOUND",
    );
    for (const body of [
      {},
      { agent_id: theirs.id, name: "", code: SETTINGS_EVAL },
      { agent_id: theirs.id, name: "e", code: "" },
      { agent_id: theirs.id, name: "e", code: "x".repeat(100_001) },
      { agent_id: "not an id", name: "e", code: SETTINGS_EVAL },
      { agent_id: theirs.id, name: "e", code: 5 },
    ]) {
      await expectError(await as("/api/evals", { method: "POST", body }), 400, "VALIDATION_ERROR");
    }
  });
});

describe("GET /api/evals and /api/evals/:id", () => {
  it("lists newest first with cursors and filters by agent and status, without code", async () => {
    const { as, db, ws, agent, clock } = await setup();
    const other = await createAgent(db, ws);
    const made = [];
    for (const [i, a] of [agent, agent, other].entries()) {
      clock.advance(1000);
      made.push(
        await createEval(db, ws, a, { createdAt: clock.now().toISOString(), status: i === 1 ? "active" : "draft" }),
      );
    }
    const first = EvalPage.parse(await readJson(await as("/api/evals?limit=2")));
    expect(first.evals.map((e) => e.id)).toEqual([made[2]!.id, made[1]!.id]);
    expect(first.has_more).toBe(true);
    expect(first.evals[0]).not.toHaveProperty("code");
    const second = EvalPage.parse(await readJson(await as(`/api/evals?limit=2&cursor=${first.next_cursor}`)));
    expect(second).toMatchObject({ has_more: false, next_cursor: null });
    expect(second.evals.map((e) => e.id)).toEqual([made[0]!.id]);
    const ofAgent = EvalPage.parse(await readJson(await as(`/api/evals?agent_id=${agent.id}`)));
    expect(ofAgent.evals.map((e) => e.id)).toEqual([made[1]!.id, made[0]!.id]);
    const active = EvalPage.parse(await readJson(await as("/api/evals?status=active")));
    expect(active.evals.map((e) => e.id)).toEqual([made[1]!.id]);
  });

  it("never lists or returns another workspace's evals", async () => {
    const { as, db } = await setup();
    const theirWs = await createWorkspace(db);
    const theirs = await createEval(db, theirWs, await createAgent(db, theirWs));
    expect(EvalPage.parse(await readJson(await as("/api/evals"))).evals).toEqual([]);
    await expectError(await as(`/api/evals/${theirs.id}`), 404, "NOT_FOUND");
  });

  it("returns code, metrics and test results; rejects bad queries and cursors", async () => {
    const { as, db, ws, agent } = await setup();
    const row = await createEval(db, ws, agent, { accuracy: 0.9, testResults: { n: 3 } });
    const got = EvalSchema.parse(await readJson(await as(`/api/evals/${row.id}`)));
    expect(got).toMatchObject({ code: SETTINGS_EVAL, accuracy: 0.9, test_results: { n: 3 } });
    for (const query of ["status=nope", "limit=0", "limit=201", "cursor=bad", "agent_id=x%20y"]) {
      await expectError(await as(`/api/evals?${query}`), 400, "VALIDATION_ERROR");
    }
  });
});

describe("PATCH /api/evals/:id", () => {
  it("renames without touching metrics or executions", async () => {
    const { as, db, ws, agent, clock } = await setup();
    const row = await createEval(db, ws, agent, { accuracy: 0.8, executionCount: 1 });
    await createExecution(db, ws, row, await createTrace(db, ws));
    clock.advance(5000);
    const res = await as(`/api/evals/${row.id}`, { method: "PATCH", body: { name: "Renamed", description: null } });
    const updated = EvalSchema.parse(await readJson(res));
    expect(updated).toMatchObject({ name: "Renamed", description: null, accuracy: 0.8, execution_count: 1 });
    expect(updated.updated_at).toBe("2026-01-01T00:00:05.000Z");
    expect(await db.select().from(evalExecutions).where(eq(evalExecutions.evalId, row.id))).toHaveLength(1);
  });

  it("a code change nulls every metric and test result, zeroes counters and deletes the executions", async () => {
    const { as, db, ws, agent } = await setup();
    const row = await createEval(db, ws, agent, {
      accuracy: 0.8,
      precision: 0.7,
      recall: 0.6,
      f1Score: 0.65,
      cohenKappa: 0.5,
      coverage: 0.4,
      falseFailureRate: 0.1,
      confusionMatrix: { tp: 1, fp: 0, tn: 1, fn: 0 },
      executionCount: 2,
      contradictionCount: 1,
      errorCount: 1,
      metricsUpdatedAt: "2026-01-01T00:00:00.000Z",
      testResults: { n: 2 },
    });
    const other = await createEval(db, ws, agent);
    const trace = await createTrace(db, ws);
    await createExecution(db, ws, row, trace);
    await createExecution(db, ws, other, trace);
    const code = "function evaluate(trace) { return true; }";
    const updated = EvalSchema.parse(
      await readJson(await as(`/api/evals/${row.id}`, { method: "PATCH", body: { code } })),
    );
    expect(updated).toMatchObject({
      code,
      accuracy: null,
      precision: null,
      recall: null,
      f1_score: null,
      cohen_kappa: null,
      coverage: null,
      false_failure_rate: null,
      confusion_matrix: null,
      execution_count: 0,
      contradiction_count: 0,
      error_count: 0,
      metrics_updated_at: null,
      test_results: null,
    });
    expect(await db.select().from(evalExecutions).where(eq(evalExecutions.evalId, row.id))).toEqual([]);
    expect(await db.select().from(evalExecutions).where(eq(evalExecutions.evalId, other.id))).toHaveLength(1);
  });

  it("treats identical code as no change, and refuses code that does not compile (nothing changes)", async () => {
    const { as, db, ws, agent } = await setup();
    const row = await createEval(db, ws, agent, { accuracy: 0.8 });
    await createExecution(db, ws, row, await createTrace(db, ws));
    const same = await as(`/api/evals/${row.id}`, { method: "PATCH", body: { code: SETTINGS_EVAL } });
    expect(EvalSchema.parse(await readJson(same)).accuracy).toBe(0.8);
    await expectError(
      await as(`/api/evals/${row.id}`, { method: "PATCH", body: { code: "function evaluate(" } }),
      400,
      "VALIDATION_ERROR",
    );
    const [stored] = await db.select().from(evals).where(eq(evals.id, row.id));
    expect(stored).toMatchObject({ code: SETTINGS_EVAL, accuracy: 0.8 });
    expect(await db.select().from(evalExecutions).where(eq(evalExecutions.evalId, row.id))).toHaveLength(1);
  });

  it("rejects an empty body and answers 404 for unknown ids", async () => {
    const { as, db, ws, agent } = await setup();
    const row = await createEval(db, ws, agent);
    await expectError(await as(`/api/evals/${row.id}`, { method: "PATCH", body: {} }), 400, "VALIDATION_ERROR");
    await expectError(await as("/api/evals/eval_missing", { method: "PATCH", body: { name: "x" } }), 404, "NOT_FOUND");
  });
});

describe("DELETE /api/evals/:id", () => {
  it("deletes the eval and its executions (204), then 404", async () => {
    const { as, db, ws, agent } = await setup();
    const row = await createEval(db, ws, agent);
    await createExecution(db, ws, row, await createTrace(db, ws));
    expect((await as(`/api/evals/${row.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await db.select().from(evalExecutions).where(eq(evalExecutions.evalId, row.id))).toEqual([]);
    await expectError(await as(`/api/evals/${row.id}`, { method: "DELETE" }), 404, "NOT_FOUND");
  });
});
