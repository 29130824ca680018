import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DEFAULT_WORKSPACE_ID, ensureWorkspace } from "../../src/auth/resolve";
import { systemClock } from "../../src/clock";
import { createDb } from "../../src/db/client";
import { integrations, jobs } from "../../src/db/schema";
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

describe("one import per integration on D1", () => {
  it("answers 409 for a second import and for a retry that would make two active, not 500", async () => {
    const ws = `ws_${crypto.randomUUID().slice(0, 8)}`;
    await ensureWorkspace(db, ws);
    const integrationId = `int_${crypto.randomUUID().slice(0, 8)}`;
    await db.insert(integrations).values({
      id: integrationId,
      workspaceId: ws,
      name: "lf",
      platform: "langfuse",
      baseUrl: "https://cloud.langfuse.com",
      apiKeyEncrypted: "v1.not.ciphertext",
      config: {},
    });
    const job = (status: "queued" | "failed") => ({
      id: `job_${crypto.randomUUID().slice(0, 8)}`,
      workspaceId: ws,
      type: "import" as const,
      status,
      triggerEvent: `integration:${integrationId}`,
    });
    const [active, failed] = [job("queued"), job("failed")];
    await db.insert(jobs).values([active, failed]);
    const call = (path: string, body?: unknown) =>
      worker.fetch(
        new Request(`http://iofold.test${path}`, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Workspace-Id": ws },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
        env,
        createExecutionContext(),
      );
    const started = await call("/api/traces/import", { integration_id: integrationId });
    expect(started.status).toBe(409);
    expect(((await started.json()) as { error: { details: unknown } }).error.details).toEqual([
      { job_id: active.id, status: "queued" },
    ]);
    // The retry passes every check and meets the unique index in D1 itself.
    const retried = await call(`/api/jobs/${failed.id}/retry`);
    expect(retried.status).toBe(409);
    expect(((await retried.json()) as { error: { code: string } }).error.code).toBe("ALREADY_EXISTS");
  });
});
