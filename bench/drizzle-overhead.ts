// Drizzle vs the raw libsql driver on the hot queries of the foundation, through the real service code:
// API-key auth (every request in key mode), a job read by id (status polling, SSE) and the first page of
// the jobs list. The raw side issues the same SQL with the driver on the same file database, same run.

import { hashApiKey } from "../src/auth/api-key-hash";
import { resolveApiKey } from "../src/auth/resolve";
import { systemClock } from "../src/clock";
import { chunkRows } from "../src/db/chunk";
import { newId } from "../src/db/ids";
import { apiKeys, jobs, workspaces } from "../src/db/schema";
import { JobManager } from "../src/jobs/job-manager";
import { openBenchDb } from "./lib/file-db";
import { percentile, report, round, sampleLatencies } from "./lib/measure";

const JOBS = 20_000;
const ITERATIONS = 3_000;
const WS = "ws_bench";

const { db, client, dispose } = await openBenchDb();
await db.insert(workspaces).values({ id: WS, name: "bench" });
const apiKey = "iof_bench_key";
const keyHash = await hashApiKey(apiKey);
const now = new Date();
await db.insert(apiKeys).values({
  id: "key_bench",
  workspaceId: WS,
  name: "bench",
  role: "owner",
  keyHash,
  keyPrefix: "iof_be",
  lastUsedAt: now.toISOString(),
});
const start = Date.UTC(2026, 0, 1);
const rows = Array.from({ length: JOBS }, (_, i) => ({
  id: newId("job", start + i),
  workspaceId: WS,
  type: "diagnostic" as const,
  status: i % 3 === 0 ? ("completed" as const) : ("queued" as const),
  metadata: { units: 1 },
  createdAt: new Date(start + i).toISOString(),
}));
for (const chunk of chunkRows(rows)) {
  await db.insert(jobs).values(chunk);
}
const probeId = rows[JOBS / 2]?.id ?? "";
const manager = new JobManager(db, systemClock);

const parseJson = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : null);

const queries = {
  api_key_auth: {
    service: () => resolveApiKey(db, apiKey, now),
    raw: async () =>
      client.execute({
        sql: "select id, workspace_id, role, last_used_at from api_keys where key_hash = ? and revoked_at is null limit 1",
        args: [await hashApiKey(apiKey)],
      }),
  },
  job_by_id: {
    service: () => manager.get(WS, probeId),
    raw: () => client.execute({ sql: "select * from jobs where id = ? and workspace_id = ?", args: [probeId, WS] }),
  },
  jobs_first_page: {
    service: () => manager.list(WS, { limit: 51 }),
    // Same work as the service: a page the API can serialize needs its JSON columns parsed.
    raw: async () => {
      const page = await client.execute({
        sql: "select * from jobs where workspace_id = ? order by created_at desc, id desc limit 51",
        args: [WS],
      });
      return page.rows.map((row) => ({ ...row, metadata: parseJson(row.metadata), result: parseJson(row.result) }));
    },
  },
};

const results: Record<string, { raw_p50_ms: number; drizzle_p50_ms: number; overhead_ratio: number }> = {};
for (const [name, q] of Object.entries(queries)) {
  const raw = percentile(await sampleLatencies(q.raw, ITERATIONS), 50);
  const drizzle = percentile(await sampleLatencies(q.service, ITERATIONS), 50);
  results[name] = {
    raw_p50_ms: round(raw, 4),
    drizzle_p50_ms: round(drizzle, 4),
    overhead_ratio: round(drizzle / raw),
  };
}
report({
  name: "drizzle_overhead",
  iterations: ITERATIONS,
  jobs_in_table: JOBS,
  queries: results,
  max_overhead_ratio: Math.max(...Object.values(results).map((r) => r.overhead_ratio)),
  target_max_overhead_ratio: 1.3,
});
dispose();
