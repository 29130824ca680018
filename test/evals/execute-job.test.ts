import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Ctx } from "../../src/context";
import { evalExecutions, evals, tracePayloadChunks } from "../../src/db/schema";
import { executeEval } from "../../src/evals";
import { labelTrace } from "../../src/feedback";
import { cancelJob } from "../../src/jobs";
import { createSandbox, type Sandbox } from "../../src/sandbox";
import { loadQuickJsModuleForNode } from "../../src/sandbox/load-module-node";
import { createFeedback, createTrace } from "../helpers/agent-factories";
import { createEval, createExecution } from "../helpers/eval-factories";
import { makeJobsApp } from "../jobs/support";
import { agentSetup, storeAnswers, waitForJob } from "./helpers";

// A clock that never moves inside the sandbox, as in deployed Workers: only the tick budget stops
// code, so hostile outcomes do not depend on machine load.
const frozenSandbox = () => createSandbox({ loadModule: loadQuickJsModuleForNode, now: () => 0 });

async function setup(sandbox: Sandbox = frozenSandbox()) {
  const t = await makeJobsApp();
  t.deps.sandbox = sandbox;
  return { ...t, ...(await agentSetup(t)) };
}

async function executionsOf(db: Ctx["db"], evalId: string) {
  return db.select().from(evalExecutions).where(eq(evalExecutions.evalId, evalId)).orderBy(asc(evalExecutions.traceId));
}

async function run(ctx: Ctx, evalId: string, input: Parameters<typeof executeEval>[2] = {}) {
  const started = await executeEval(ctx, evalId, input);
  const job = await waitForJob(ctx.db, started.job.id);
  return { started, job, result: job.result as Record<string, any> };
}

describe("the execute job (Node runner)", () => {
  it("stores one prediction per trace with score, reason, duration, console and job id, and updates counters", async () => {
    const { ctx, db, ws, agent } = await setup();
    const ids = await storeAnswers(ctx, ["Open Settings, then Security.", "I cannot help.", "Try settings."]);
    const code = `function evaluate(trace) {
      console.log("checking", trace.id);
      const ok = /settings/i.test(String(trace.output));
      return { pass: ok, score: ok ? 0.9 : 0.1, reason: ok ? "mentions settings" : "no settings" };
    }`;
    const row = await createEval(db, ws, agent, { code });
    const { job, result, started } = await run(ctx, row.id, { traceIds: ids });
    expect(started.estimatedCount).toBe(3);
    expect(job).toMatchObject({ status: "completed", progress: 100, type: "execute", agentId: agent.id });
    expect(job.triggerEvent).toBe("manual");
    expect(result).toMatchObject({ total: 3, executed: 3, skipped: 0, errors: 0, passed: 2, failed: 1, not_found: 0 });
    const byTrace = new Map((await executionsOf(db, row.id)).map((e) => [e.traceId, e]));
    expect(byTrace.get(ids[0]!)).toMatchObject({
      workspaceId: ws.id,
      predictedResult: true,
      score: 0.9,
      reason: "mentions settings",
      error: null,
      errorKind: null,
      consoleOutput: `checking ${ids[0]}`,
      jobId: job.id,
      executedAt: expect.any(String),
    });
    expect(byTrace.get(ids[1]!)).toMatchObject({ predictedResult: false, score: 0.1, reason: "no settings" });
    expect(byTrace.get(ids[2]!)?.executionTimeMs).toBeTypeOf("number");
    const [counted] = await db.select().from(evals).where(eq(evals.id, row.id));
    expect(counted).toMatchObject({ executionCount: 3, errorCount: 0 });
  });

  it("stores the eval's agreement metrics when the job finishes, so lists are current", async () => {
    const { ctx, db, ws, agent } = await setup();
    const ids = await storeAnswers(ctx, ["Open Settings, then Security.", "I cannot help.", "Try settings."]);
    for (const [i, rating] of (["positive", "negative", "negative"] as const).entries()) {
      await labelTrace(ctx, { traceId: ids[i]!, rating, agentId: agent.id });
    }
    const row = await createEval(db, ws, agent, {
      code: "function evaluate(trace) { return /settings/i.test(String(trace.output)); }",
    });
    await run(ctx, row.id, { target: "labeled" });
    const [stored] = await db.select().from(evals).where(eq(evals.id, row.id));
    // TP = 1 (positive, pass), TN = 1 (negative, fail), FP = 1 (negative, pass), FN = 0.
    expect(stored).toMatchObject({ precision: 0.5, recall: 1, contradictionCount: 1, executionCount: 3 });
    expect(stored?.accuracy).toBeCloseTo(2 / 3, 10);
    expect(stored?.metricsUpdatedAt).toEqual(expect.any(String));
  });

  it("skips traces that already have a current execution unless forced, and then replaces the row", async () => {
    const { ctx, db, ws, agent } = await setup();
    const ids = await storeAnswers(ctx, ["Settings", "nothing"]);
    const row = await createEval(db, ws, agent);
    const old = await createExecution(db, ws, row, { id: ids[0]! }, { predictedResult: false, reason: "stale" });
    const first = await run(ctx, row.id, { traceIds: ids });
    expect(first.result).toMatchObject({ executed: 1, skipped: 1 });
    expect((await executionsOf(db, row.id)).find((e) => e.traceId === ids[0])?.reason).toBe("stale");
    const forced = await run(ctx, row.id, { traceIds: ids, force: true });
    expect(forced.result).toMatchObject({ executed: 2, skipped: 0, force: true });
    const rows = await executionsOf(db, row.id);
    expect(rows).toHaveLength(2);
    const replaced = rows.find((e) => e.traceId === ids[0]);
    expect(replaced).toMatchObject({
      id: old.id,
      predictedResult: true,
      reason: "mentions Settings",
      jobId: forced.job.id,
    });
  });

  it("skips and reports ids of another workspace or of no trace, never executing them", async () => {
    const { ctx, db, ws, agent, deps } = await setup();
    const [mine] = await storeAnswers(ctx, ["Settings"]);
    const other = await agentSetup({ db, deps });
    const [theirs] = await storeAnswers(other.ctx, ["Settings"], "x");
    const row = await createEval(db, ws, agent);
    const { result, job } = await run(ctx, row.id, { traceIds: [mine!, theirs!, "trace_nothing", mine!] });
    expect(job.status).toBe("completed");
    expect(result).toMatchObject({ total: 1, executed: 1, not_found: 2, not_found_ids: [theirs, "trace_nothing"] });
    expect((await executionsOf(db, row.id)).map((e) => e.traceId)).toEqual([mine]);
    const all = await db.select().from(evalExecutions);
    expect(all.every((e) => e.workspaceId === ws.id)).toBe(true);
  });

  it("runs on the agent's labeled traces by default, all its traces, or those imported since a time", async () => {
    const { ctx, db, ws, agent, clock } = await setup();
    const [a, b, c] = await storeAnswers(ctx, ["Settings", "no", "Settings"], "early");
    clock.advance(60_000);
    const since = clock.now().toISOString();
    const [d] = await storeAnswers(ctx, ["late Settings"], "late");
    const unassigned = await createTrace(db, ws);
    await createFeedback(db, ws, { id: a! }); // agent-less label on an assigned trace
    await createFeedback(db, ws, unassigned, { agentId: agent.id }); // label naming the agent
    await createFeedback(db, ws, { id: b! }, { agentId: (await agentSetup({ db, deps: ctx.deps })).agent.id });
    const labeled = await createEval(db, ws, agent);
    const labeledRun = await run(ctx, labeled.id);
    expect(labeledRun.started.estimatedCount).toBe(2);
    expect((await executionsOf(db, labeled.id)).map((e) => e.traceId).sort()).toEqual([a, unassigned.id].sort());
    const all = await createEval(db, ws, agent);
    expect((await run(ctx, all.id, { target: "all" })).result).toMatchObject({ total: 4, executed: 4 });
    expect((await executionsOf(db, all.id)).map((e) => e.traceId).sort()).toEqual([a, b, c, d].sort());
    const recent = await createEval(db, ws, agent);
    expect((await run(ctx, recent.id, { target: "since", since })).result).toMatchObject({ total: 1, executed: 1 });
    expect((await executionsOf(db, recent.id)).map((e) => e.traceId)).toEqual([d]);
  });

  it("works through many batches and reports progress", async () => {
    const { ctx, db, ws, agent } = await setup();
    const ids = await storeAnswers(
      ctx,
      Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? "no" : "Settings")),
    );
    const row = await createEval(db, ws, agent);
    const { job, result } = await run(ctx, row.id, { target: "all" });
    expect(result).toMatchObject({ total: 200, executed: 200, passed: 150, failed: 50, errors: 0 });
    expect(job.progress).toBe(100);
    expect(await executionsOf(db, row.id)).toHaveLength(ids.length);
    const [counted] = await db.select().from(evals).where(eq(evals.id, row.id));
    expect(counted?.executionCount).toBe(200);
  });

  it("stops between batches when cancelled, keeping what was written", async () => {
    let jobCtx: Ctx | undefined;
    let jobId = "";
    let calls = 0;
    const real = frozenSandbox();
    // The real sandbox; the job is cancelled while its first batch runs, as a user would.
    const cancelling: Sandbox = {
      run: (source, input, limits) => real.run(source, input, limits),
      runMany: async (source, inputs, limits) => {
        const outcomes = await real.runMany(source, inputs, limits);
        if (++calls === 1 && jobCtx) {
          await cancelJob(jobCtx, jobId);
        }
        return outcomes;
      },
    };
    const { ctx, db, ws, agent } = await setup(cancelling);
    jobCtx = ctx;
    await storeAnswers(
      ctx,
      Array.from({ length: 200 }, () => "Settings"),
    );
    const row = await createEval(db, ws, agent);
    const started = await executeEval(ctx, row.id, { target: "all" });
    jobId = started.job.id;
    const job = await waitForJob(db, jobId);
    expect(job.status).toBe("cancelled");
    // The first batch (180 traces) was written; the second never started.
    expect(await executionsOf(db, row.id)).toHaveLength(180);
  });

  it("stores hostile evals' failures per execution, completes the job, and the next eval runs fine", async () => {
    const { ctx, db, ws, agent } = await setup();
    const ids = await storeAnswers(ctx, ["Settings", "Settings"]);
    const hostile = {
      timeout: "function evaluate(trace) { while (true) {} }",
      memory: "function evaluate(trace) { const keep = []; for (;;) keep.push(new Uint8Array(1 << 20)); }",
      runtime: "function evaluate(trace) { throw new Error('boom'); }",
      stack: "function evaluate(trace) { const f = (n) => f(n + 1) + 1; return f(0); }",
    };
    for (const [kind, code] of Object.entries(hostile)) {
      const row = await createEval(db, ws, agent, { code });
      const { job, result } = await run(ctx, row.id, { traceIds: ids });
      expect(job.status, kind).toBe("completed");
      expect(result, kind).toMatchObject({ executed: 2, errors: 2, passed: 0, failed: 0 });
      const rows = await executionsOf(db, row.id);
      expect(
        rows.map((e) => [e.errorKind, e.predictedResult]),
        kind,
      ).toEqual([
        [kind, null],
        [kind, null],
      ]);
      expect(rows[0]?.error, kind).toEqual(expect.any(String));
      const [counted] = await db.select().from(evals).where(eq(evals.id, row.id));
      expect(counted, kind).toMatchObject({ executionCount: 2, errorCount: 2 });
    }
    const fine = await createEval(db, ws, agent);
    const { result } = await run(ctx, fine.id, { traceIds: ids });
    expect(result).toMatchObject({ executed: 2, errors: 0, passed: 2 });
  });

  it("writes nothing from a run whose eval code changed meanwhile, and stops", async () => {
    let changeCode: (() => Promise<void>) | undefined;
    const real = frozenSandbox();
    const changing: Sandbox = {
      run: (source, input, limits) => real.run(source, input, limits),
      runMany: async (source, inputs, limits) => {
        const outcomes = await real.runMany(source, inputs, limits);
        await changeCode?.();
        changeCode = undefined;
        return outcomes;
      },
    };
    const { ctx, db, ws, agent } = await setup(changing);
    await storeAnswers(
      ctx,
      Array.from({ length: 200 }, () => "Settings"),
    );
    const row = await createEval(db, ws, agent);
    changeCode = async () => {
      await db.update(evals).set({ code: "function evaluate() { return false; }" }).where(eq(evals.id, row.id));
    };
    const { job, result } = await run(ctx, row.id, { target: "all" });
    expect(job.status).toBe("completed");
    expect(result.stopped_reason).toMatch(/code changed/);
    expect(await executionsOf(db, row.id)).toEqual([]);
  });

  it("fails permanently when the eval no longer exists", async () => {
    const { ctx, db, ws, agent } = await setup();
    const row = await createEval(db, ws, agent);
    const started = await executeEval(ctx, row.id, {});
    await db.delete(evals).where(eq(evals.id, row.id));
    const job = await waitForJob(db, started.job.id);
    expect(job).toMatchObject({ status: "failed", errorCategory: "permanent_not_found" });
  });

  it("leaves out a trace whose stored payload is corrupt and reports it", async () => {
    const { ctx, db, ws, agent } = await setup();
    const ids = await storeAnswers(ctx, ["Settings", "Settings"]);
    await db.update(tracePayloadChunks).set({ body: "{}" }).where(eq(tracePayloadChunks.traceId, ids[1]!));
    const row = await createEval(db, ws, agent);
    const { job, result } = await run(ctx, row.id, { traceIds: ids });
    expect(job.status).toBe("completed");
    expect(result).toMatchObject({ executed: 1, unreadable_ids: [ids[1]] });
  });
});
