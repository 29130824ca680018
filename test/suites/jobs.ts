import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { JobRetriesBody, JobSchema } from "../../src/api/jobs.schemas";
import type { Database } from "../../src/db/client";
import { jobLogs, jobs } from "../../src/db/schema";

/** What the shared jobs suite needs from a host: its real HTTP app, its database, a way to wait. */
export interface JobsEnv {
  request(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  db: Database;
  /** Lets the host's runner make progress between two polls (a macrotask on Node, real time on workerd). */
  pause(): Promise<void>;
  /** Upper bound on polls before a wait gives up. */
  maxPolls: number;
}

type JobJson = ReturnType<typeof JobSchema.parse>;
const TERMINAL = ["completed", "failed", "cancelled"];

async function getJob(env: JobsEnv, id: string): Promise<JobJson> {
  const res = await env.request(`/api/jobs/${id}`);
  expect(res.status).toBe(200);
  return JobSchema.parse(await res.json());
}

async function until<T>(env: JobsEnv, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < env.maxPolls; i++) {
    const value = await read();
    if (done(value)) {
      return value;
    }
    await env.pause();
  }
  throw new Error(`condition not reached after ${env.maxPolls} polls`);
}

async function startDiagnostic(env: JobsEnv, body: Record<string, unknown>): Promise<string> {
  const res = await env.request("/api/jobs/diagnostic", { method: "POST", body });
  expect(res.status).toBe(202);
  const created = (await res.json()) as { job_id: string; status: string };
  expect(created.status).toBe("queued");
  return created.job_id;
}

const finished = (env: JobsEnv, id: string) =>
  until(
    env,
    () => getJob(env, id),
    (j) => TERMINAL.includes(j.status),
  );

const unitLogs = async (env: JobsEnv, id: string) =>
  env.db.select().from(jobLogs).where(eq(jobLogs.jobId, id)).orderBy(asc(jobLogs.id));

/** Job behaviour both hosts must share: Node (poller on libsql) and Workers (Queues on D1). */
export function jobsSuite(makeEnv: () => Promise<JobsEnv>): void {
  // Workers really wait for queue delivery and backoff delays, so a retrying test takes seconds there.
  describe("jobs on this host", { timeout: 60_000 }, () => {
    it("runs a job created through the API to completion", async () => {
      const env = await makeEnv();
      const id = await startDiagnostic(env, { units: 3 });
      const job = await finished(env, id);
      expect(job).toMatchObject({ status: "completed", progress: 100, result: { units_done: 3, attempts: 1 } });
      expect(job.started_at).not.toBeNull();
      expect(job.completed_at).not.toBeNull();
      expect((await unitLogs(env, id)).map((l) => l.message)).toEqual([
        "Unit 1/3 done",
        "Unit 2/3 done",
        "Unit 3/3 done",
      ]);
    });

    it("retries a failing job with growing delays and one history row per failed attempt", async () => {
      const env = await makeEnv();
      const id = await startDiagnostic(env, { fail_attempts: 2 });
      const job = await finished(env, id);
      expect(job).toMatchObject({ status: "completed", retry_count: 2, result: { units_done: 1, attempts: 3 } });
      const history = JobRetriesBody.parse(await (await env.request(`/api/jobs/${id}/retries`)).json());
      expect(history.total_attempts).toBe(3);
      expect(history.retries.map((r) => [r.attempt, r.error_category])).toEqual([
        [1, "transient_server"],
        [2, "transient_server"],
      ]);
      const [first, second] = history.retries.map((r) => r.delay_ms);
      expect(first).toBeGreaterThan(0);
      expect(second).toBeGreaterThan(first ?? 0);
    });

    it("fails a permanently failing job at once, with one history row", async () => {
      const env = await makeEnv();
      const id = await startDiagnostic(env, { fail_permanently: true });
      const job = await finished(env, id);
      expect(job).toMatchObject({ status: "failed", retry_count: 0, error_category: "permanent_validation" });
      expect(job.error).toBe("Diagnostic job asked to fail permanently");
      const history = JobRetriesBody.parse(await (await env.request(`/api/jobs/${id}/retries`)).json());
      expect(history.retries).toMatchObject([{ attempt: 1, error_category: "permanent_validation", delay_ms: 0 }]);
    });

    it("stops a cancelled job between units and never overwrites its status", async () => {
      const env = await makeEnv();
      const id = await startDiagnostic(env, { units: 200, unit_delay_ms: 50 });
      await until(
        env,
        () => getJob(env, id),
        (j) => j.status === "running" && j.progress > 0,
      );
      const res = await env.request(`/api/jobs/${id}/cancel`, { method: "POST" });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id, status: "cancelled" });
      // The runner lets go of the job once its handler has stopped at a unit boundary.
      const row = await until(
        env,
        async () => (await env.db.select().from(jobs).where(eq(jobs.id, id)))[0],
        (r) => r?.leaseOwner === null,
      );
      expect(row?.status).toBe("cancelled");
      const logs = await unitLogs(env, id);
      expect(logs.at(-1)?.message).toBe("Stopped: the job was cancelled");
      expect(logs.length - 1).toBeLessThan(200);
      expect(await getJob(env, id)).toMatchObject({ status: "cancelled", result: null });
    });

    it("re-runs a failed job on manual retry", async () => {
      const env = await makeEnv();
      const id = await startDiagnostic(env, { fail_permanently: true });
      await finished(env, id);
      const res = await env.request(`/api/jobs/${id}/retry`, { method: "POST" });
      expect(res.status).toBe(200);
      expect(JobSchema.parse(await res.json())).toMatchObject({ id, status: "queued", error: null });
      const history = await until(
        env,
        async () => JobRetriesBody.parse(await (await env.request(`/api/jobs/${id}/retries`)).json()),
        (h) => h.retries.length === 2,
      );
      expect(history.retries.map((r) => r.attempt)).toEqual([1, 2]);
      expect((await finished(env, id)).status).toBe("failed");
    });
  });
}
