import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DEFAULT_WORKSPACE_ID, ensureWorkspace } from "../../src/auth/resolve";
import { systemClock } from "../../src/clock";
import { createDb } from "../../src/db/client";
import { jobs } from "../../src/db/schema";
import { JobLeases } from "../../src/jobs/job-leases";
import { JobManager } from "../../src/jobs/job-manager";
import worker from "../../src/runtime/worker";
import { jobsSuite } from "../suites/jobs";

const db = createDb(env.DB);
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 50));

// Real Queue → the Worker's queue() consumer → D1; the test polls D1 through the API.
jobsSuite(async () => ({
  request: (path, init) =>
    worker.fetch(
      new Request(`http://iofold.test${path}`, {
        method: init?.method ?? "GET",
        headers: { "Content-Type": "application/json" },
        body: init?.body === undefined ? undefined : JSON.stringify(init.body),
      }),
      env,
      createExecutionContext(),
    ),
  db,
  pause,
  maxPolls: 600,
}));

async function consume(bodies: unknown[]) {
  const batch = createMessageBatch(
    "iofold-jobs",
    bodies.map((body, i) => ({ id: `msg-${i}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch as MessageBatch<never>, env);
  return getQueueResult(batch, ctx);
}

/** A queued diagnostic job that no message announced yet. */
async function createQueuedJob(overrides: { nextRetryAt?: string } = {}) {
  await ensureWorkspace(db, DEFAULT_WORKSPACE_ID);
  const manager = new JobManager(db, systemClock);
  const job = await manager.create({ workspaceId: DEFAULT_WORKSPACE_ID, type: "diagnostic", payload: {} });
  if (overrides.nextRetryAt) {
    await db.update(jobs).set({ nextRetryAt: overrides.nextRetryAt }).where(eq(jobs.id, job.id));
  }
  return job;
}

describe("worker queue consumer", () => {
  it("runs the job a message names and acknowledges the message", async () => {
    const job = await createQueuedJob();
    const result = await consume([{ jobId: job.id }]);
    expect(result.explicitAcks).toEqual(["msg-0"]);
    const [row] = await db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(row).toMatchObject({ status: "completed", attempts: 1 });
  });

  it("redelivers a message that arrives before the job's next_retry_at", async () => {
    const job = await createQueuedJob({ nextRetryAt: new Date(Date.now() + 30_000).toISOString() });
    const result = await consume([{ jobId: job.id }]);
    expect(result.retryMessages).toEqual([{ msgId: "msg-0" }]);
    expect(result.explicitAcks).toEqual([]);
    const [row] = await db.select().from(jobs).where(eq(jobs.id, job.id));
    expect(row?.status).toBe("queued");
  });

  it("acknowledges messages for unknown jobs and malformed messages", async () => {
    const result = await consume([{ jobId: "job_missing" }, { nope: true }, "text"]);
    expect(result.explicitAcks.sort()).toEqual(["msg-0", "msg-1", "msg-2"]);
    expect(result.retryMessages).toEqual([]);
  });
});

describe("worker cron sweeper", () => {
  it("re-queues a job whose lease expired, and the queue then runs it", async () => {
    const job = await createQueuedJob();
    const [claimed] = await new JobLeases(db, systemClock).claimNext("node_dead", -1_000, 10);
    expect(claimed?.id).toBe(job.id);
    await worker.scheduled(createScheduledController(), env);
    let row = (await db.select().from(jobs).where(eq(jobs.id, job.id)))[0];
    for (let i = 0; i < 600 && row?.status !== "completed"; i++) {
      await pause();
      row = (await db.select().from(jobs).where(eq(jobs.id, job.id)))[0];
    }
    expect(row).toMatchObject({ status: "completed", retryCount: 1, attempts: 2 });
  });
});
