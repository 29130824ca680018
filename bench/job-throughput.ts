import { benchDeps } from "./lib/deps";
// No-op job throughput of the Node runner on a file database, next to the raw SQL statements the runner
// issues for the same jobs (claim up to `concurrency` with UPDATE ... RETURNING, then complete each), run
// with the raw libsql client in the same process. The ratio shows what the runner's machinery costs.

import { z } from "zod";
import { parseConfig } from "../src/config";
import type { Deps } from "../src/context";
import { chunkRows } from "../src/db/chunk";
import { newId } from "../src/db/ids";
import { jobs, workspaces } from "../src/db/schema";
import { defineJobHandler } from "../src/jobs/handlers/types";
import { JobRunner } from "../src/jobs/runner";
import { openBenchDb } from "./lib/file-db";
import { report, round } from "./lib/measure";

const JOB_COUNT = 5_000;
const CONCURRENCY = 4;

async function seedJobs(deps: { db: Deps["db"] }, count: number): Promise<void> {
  await deps.db.insert(workspaces).values({ id: "ws_bench", name: "bench" }).onConflictDoNothing();
  const start = Date.UTC(2026, 0, 1);
  const rows = Array.from({ length: count }, (_, i) => ({
    id: newId("job", start + i),
    workspaceId: "ws_bench",
    type: "diagnostic" as const,
    metadata: {},
    createdAt: new Date(start + i).toISOString(),
  }));
  for (const chunk of chunkRows(rows)) {
    await deps.db.insert(jobs).values(chunk);
  }
}

async function runnerJobsPerSec(): Promise<number> {
  const { db, dispose } = await openBenchDb();
  await seedJobs({ db }, JOB_COUNT);
  const config = parseConfig({ JOB_CONCURRENCY: String(CONCURRENCY) });
  const deps = benchDeps(db, { config });
  let settled = 0;
  let finish: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const noop = defineJobHandler({ payload: z.object({}), run: async () => ({}) });
  const runner = new JobRunner(deps, {
    handlers: { diagnostic: noop },
    sweep: false,
    yieldToEventLoop: () => new Promise((r) => setImmediate(r)),
    onSettled: () => {
      settled += 1;
      if (settled === JOB_COUNT) {
        finish();
      }
    },
  });
  const started = performance.now();
  runner.start();
  await allDone;
  const seconds = (performance.now() - started) / 1000;
  await runner.stop(1_000);
  dispose();
  return JOB_COUNT / seconds;
}

const CLAIM_SQL = `update jobs set status = 'running', progress = 0, lease_owner = ?, lease_expires_at = ?,
  attempts = attempts + 1, started_at = coalesce(started_at, ?), next_retry_at = null
  where id in (select id from jobs where status = 'queued' and (next_retry_at is null or next_retry_at <= ?)
    order by priority desc, created_at asc limit ?) and status = 'queued' returning *`;
const COMPLETE_SQL = `update jobs set status = 'completed', progress = 100, result = ?, error = null,
  error_category = null, completed_at = ?, lease_owner = null, lease_expires_at = null
  where id = ? and lease_owner = ? and status = 'running' returning id`;

async function rawJobsPerSec(): Promise<number> {
  const { db, client, dispose } = await openBenchDb();
  await seedJobs({ db }, JOB_COUNT);
  const owner = "raw-bench";
  let done = 0;
  const started = performance.now();
  while (done < JOB_COUNT) {
    const now = new Date().toISOString();
    const lease = new Date(Date.now() + 60_000).toISOString();
    const claimed = await client.execute({ sql: CLAIM_SQL, args: [owner, lease, now, now, CONCURRENCY] });
    await Promise.all(
      claimed.rows.map((row) =>
        client.execute({ sql: COMPLETE_SQL, args: ["{}", new Date().toISOString(), String(row.id), owner] }),
      ),
    );
    done += claimed.rows.length;
  }
  const seconds = (performance.now() - started) / 1000;
  dispose();
  return JOB_COUNT / seconds;
}

const raw = await rawJobsPerSec();
const runner = await runnerJobsPerSec();
report({
  name: "job_throughput",
  jobs: JOB_COUNT,
  concurrency: CONCURRENCY,
  runner_jobs_per_sec: round(runner, 1),
  raw_statements_jobs_per_sec: round(raw, 1),
  ratio: round(runner / raw, 3),
  target_jobs_per_sec: 1_000,
  target_ratio: 0.5,
});
