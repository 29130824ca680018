import { setImmediate as nextTurn } from "node:timers/promises";
import { createClient } from "@libsql/client";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DEFAULT_WORKSPACE_ID, ensureWorkspace } from "../../src/auth/resolve";
import type { Deps } from "../../src/context";
import { createLibsqlDb, type Database } from "../../src/db/client";
import { type Job, jobRetryHistory, jobs } from "../../src/db/schema";
import type { JobType } from "../../src/db/schema/enums";
import { jobHandlers } from "../../src/job-handlers";
import { defineJobHandler, type JobHandlers, JobRunner, sweepJobs } from "../../src/jobs";
import { JobLeases } from "../../src/jobs/job-leases";
import { JobManager } from "../../src/jobs/job-manager";
import { LEASE_EXPIRED_ERROR } from "../../src/jobs/sweeper";
import { makeTestApp } from "../helpers/app";
import { createTestDb } from "../helpers/db";
import { yieldingClock } from "./support";

/** A handler that blocks until the test opens the gate, and records what ran and how many at once. */
function gatedHandler() {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const state = { started: [] as string[], running: 0, maxRunning: 0, onStart: () => {} };
  const handler = defineJobHandler({
    payload: z.object({}),
    async run(job) {
      state.started.push(job.id);
      state.running++;
      state.maxRunning = Math.max(state.maxRunning, state.running);
      state.onStart();
      await gate;
      state.running--;
      return { ran: job.id };
    },
  });
  const startedCount = (n: number) =>
    new Promise<void>((resolve) => {
      state.onStart = () => state.started.length >= n && resolve();
      state.onStart();
    });
  return { handler, state, open, startedCount };
}

async function setup() {
  const app = await makeTestApp();
  app.deps.clock = yieldingClock(app.clock);
  await ensureWorkspace(app.db, DEFAULT_WORKSPACE_ID);
  const manager = new JobManager(app.db, app.deps.clock);
  const create = (type: JobType = "execute", payload: Record<string, unknown> = {}) =>
    manager.create({ workspaceId: DEFAULT_WORKSPACE_ID, type, payload });
  return { ...app, manager, create };
}

const runnerFor = (
  deps: Deps,
  handlers: JobHandlers,
  options: Partial<ConstructorParameters<typeof JobRunner>[1]> = {},
) => new JobRunner(deps, { handlers, sweep: false, yieldToEventLoop: nextTurn, ...options });

const rows = (db: Database) => db.select().from(jobs).orderBy(asc(jobs.createdAt));

async function untilAll(db: Database, done: (job: Job) => boolean) {
  for (let i = 0; i < 100_000; i++) {
    const all = await rows(db);
    if (all.every(done)) {
      return all;
    }
    await nextTurn();
  }
  throw new Error("jobs did not reach the expected state");
}

describe("JobRunner", () => {
  it("never runs more than `concurrency` jobs at once", async () => {
    const { deps, db, create } = await setup();
    for (let i = 0; i < 6; i++) {
      await create();
    }
    const gated = gatedHandler();
    const runner = runnerFor(deps, { execute: gated.handler }, { concurrency: 2 });
    runner.start();
    await gated.startedCount(2);
    for (let i = 0; i < 50; i++) {
      await nextTurn();
    }
    expect((await rows(db)).filter((j) => j.status === "running")).toHaveLength(2);
    expect(gated.state.started).toHaveLength(2);
    gated.open();
    await untilAll(db, (j) => j.status === "completed");
    expect(gated.state.maxRunning).toBe(2);
    expect(gated.state.started).toHaveLength(6);
    await runner.stop(0);
  });

  it("lets two runners on one database claim each job exactly once", async () => {
    const { deps } = await setup();
    const { db, url } = await createTestDb();
    await ensureWorkspace(db, DEFAULT_WORKSPACE_ID);
    const second = createClient({ url });
    await second.execute("PRAGMA busy_timeout = 5000");
    const ran: string[] = [];
    const counting = defineJobHandler({
      payload: z.object({}),
      async run(job) {
        ran.push(job.id);
        await nextTurn();
        return {};
      },
    });
    const manager = new JobManager(db, deps.clock);
    for (let i = 0; i < 30; i++) {
      await manager.create({ workspaceId: DEFAULT_WORKSPACE_ID, type: "execute", payload: {} });
    }
    const runners = [
      runnerFor({ ...deps, db }, { execute: counting }, { concurrency: 3 }),
      runnerFor({ ...deps, db: createLibsqlDb(second) }, { execute: counting }, { concurrency: 3 }),
    ];
    for (const r of runners) {
      r.start();
    }
    const all = await untilAll(db, (j) => j.status === "completed");
    await Promise.all(runners.map((r) => r.stop(0)));
    second.close();
    expect(new Set(ran).size).toBe(30);
    expect(ran).toHaveLength(30);
    expect(all.every((j) => j.attempts === 1)).toBe(true);
  });

  it("stops claiming on stop() and hands jobs still running back to queued", async () => {
    const { deps, db, create } = await setup();
    for (let i = 0; i < 3; i++) {
      await create();
    }
    const gated = gatedHandler();
    const outcomes: string[] = [];
    const runner = runnerFor(
      deps,
      { execute: gated.handler },
      { concurrency: 2, onSettled: (_job, outcome) => outcomes.push(outcome) },
    );
    runner.start();
    await gated.startedCount(2);
    const released = await runner.stop(5_000);
    expect(released.sort()).toEqual([...gated.state.started].sort());
    const after = await rows(db);
    expect(after.filter((j) => j.status === "running")).toEqual([]);
    expect(after.map((j) => [j.status, j.attempts, j.leaseOwner])).toEqual([
      ["queued", 0, null],
      ["queued", 0, null],
      ["queued", 0, null],
    ]);
    // The handlers finish late: their results are not written over the released jobs.
    gated.open();
    while (outcomes.length < 2) {
      await nextTurn();
    }
    expect(outcomes).toEqual(["lost", "lost"]);
    expect((await rows(db)).every((j) => j.status === "queued")).toBe(true);
  });

  it("waits for running jobs that finish within the grace period", async () => {
    const { deps, db, create } = await setup();
    await create();
    const gated = gatedHandler();
    const runner = runnerFor(deps, { execute: gated.handler });
    runner.start();
    await gated.startedCount(1);
    gated.open();
    expect(await runner.stop(5_000)).toEqual([]);
    expect((await rows(db))[0]?.status).toBe("completed");
  });

  it("retries with growing delays up to max_retries, then fails with the last error", async () => {
    const { deps, db, create } = await setup();
    const job = await create("diagnostic", { fail_attempts: 10 });
    const runner = runnerFor(deps, jobHandlers);
    runner.start();
    const [done] = await untilAll(db, (j) => j.status === "failed");
    await runner.stop(0);
    expect(done).toMatchObject({ retryCount: 5, attempts: 6, errorCategory: "transient_server" });
    expect(done?.error).toBe("Simulated transient failure on attempt 6");
    const history = await db.select().from(jobRetryHistory).where(eq(jobRetryHistory.jobId, job.id));
    expect(history.sort((a, b) => a.attempt - b.attempt).map((h) => [h.attempt, h.delayMs, h.willRetry])).toEqual([
      [1, 1_000, true],
      [2, 2_000, true],
      [3, 4_000, true],
      [4, 8_000, true],
      [5, 16_000, true],
      [6, 0, false],
    ]);
  });

  it("fails a job permanently when no handler is registered or the payload is invalid", async () => {
    const { deps, db, create } = await setup();
    const unhandled = await create("template_drift");
    const invalid = await create("diagnostic", { units: 0 });
    const runner = runnerFor(deps, jobHandlers);
    runner.start();
    await untilAll(db, (j) => j.status === "failed");
    await runner.stop(0);
    const byId = new Map((await rows(db)).map((j) => [j.id, j]));
    expect(byId.get(unhandled.id)).toMatchObject({ errorCategory: "permanent_validation", retryCount: 0 });
    expect(byId.get(unhandled.id)?.error).toBe("No handler is registered for job type template_drift");
    expect(byId.get(invalid.id)?.error).toMatch(/^Invalid job payload: units: /);
  });
});

describe("lease sweeper", () => {
  it("re-queues a job whose lease expired and counts the lost attempt", async () => {
    const { deps, db, create } = await setup();
    const job = await create();
    const leases = new JobLeases(db, deps.clock);
    await leases.claimNext("node_dead", 60_000, 1);
    expect((await sweepJobs(deps)).requeued).toEqual([]);
    deps.clock.sleep(61_000);
    expect(await sweepJobs(deps)).toEqual({ requeued: [job.id], failed: [], resent: [] });
    const [row] = await rows(db);
    expect(row).toMatchObject({ status: "queued", retryCount: 1, leaseOwner: null, error: LEASE_EXPIRED_ERROR });
    const history = await db.select().from(jobRetryHistory);
    expect(history).toMatchObject([{ attempt: 1, errorCategory: "unknown", delayMs: 1_000, willRetry: true }]);
  });

  it("leaves a job alone whose runner renewed the lease in time", async () => {
    const { deps, db, create } = await setup();
    const job = await create();
    const leases = new JobLeases(db, deps.clock);
    await leases.claimNext("node_alive", 60_000, 1);
    deps.clock.sleep(50_000);
    expect(await leases.reportProgress(job.id, "node_alive", 50, 60_000)).toBe(true);
    deps.clock.sleep(50_000);
    expect((await sweepJobs(deps)).requeued).toEqual([]);
    expect((await rows(db))[0]).toMatchObject({ status: "running", progress: 50 });
  });

  it("fails a job whose lease expired after its last retry", async () => {
    const { deps, db, create } = await setup();
    const job = await create();
    await db.update(jobs).set({ retryCount: 5, maxRetries: 5 }).where(eq(jobs.id, job.id));
    await new JobLeases(db, deps.clock).claimNext("node_dead", 1_000, 1);
    deps.clock.sleep(2_000);
    expect(await sweepJobs(deps)).toEqual({ requeued: [], failed: [job.id], resent: [] });
    expect((await rows(db))[0]).toMatchObject({ status: "failed", leaseOwner: null });
  });

  it("runs on the runner's timer, so a dead runner's job is finished by a live one", async () => {
    const { deps, db, create } = await setup();
    await create("diagnostic", { units: 2 });
    await new JobLeases(db, deps.clock).claimNext("node_dead", 60_000, 1);
    const runner = runnerFor(deps, jobHandlers, { sweep: true });
    runner.start();
    const [done] = await untilAll(db, (j) => j.status === "completed");
    await runner.stop(0);
    expect(done).toMatchObject({ attempts: 2, retryCount: 1, result: { units_done: 2, attempts: 2 } });
  });

  it("re-sends queued jobs whose message is overdue, when asked (Workers cron)", async () => {
    const { deps, create } = await setup();
    const job = await create();
    expect((await sweepJobs(deps, { resendOverdueAfterMs: 60_000 })).resent).toEqual([]);
    deps.clock.sleep(61_000);
    expect((await sweepJobs(deps, { resendOverdueAfterMs: 60_000 })).resent).toEqual([job.id]);
  });
});
