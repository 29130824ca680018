// Drizzle vs the raw libsql driver on the hot queries of the foundation: API-key auth on every request,
// a job read by id, and the first page of the jobs list. Same statements, same file database, same run.
import { and, desc, eq, isNull } from "drizzle-orm";
import { hashApiKey } from "../src/auth/api-key-hash";
import { chunkRows } from "../src/db/chunk";
import { newId } from "../src/db/ids";
import { apiKeys, jobs, workspaces } from "../src/db/schema";
import { openBenchDb } from "./lib/file-db";
import { percentile, report, round, sampleLatencies } from "./lib/measure";

const JOBS = 20_000;
const ITERATIONS = 3_000;

const { db, client, dispose } = await openBenchDb();
await db.insert(workspaces).values({ id: "ws_bench", name: "bench" });
const keyHash = await hashApiKey("iof_bench");
await db
  .insert(apiKeys)
  .values({ id: "key_bench", workspaceId: "ws_bench", name: "b", role: "owner", keyHash, keyPrefix: "iof_be" });
const rows = Array.from({ length: JOBS }, (_, i) => ({
  id: newId("job", Date.UTC(2026, 0, 1) + i),
  workspaceId: "ws_bench",
  type: "diagnostic" as const,
  status: i % 3 === 0 ? ("completed" as const) : ("queued" as const),
  createdAt: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
}));
for (const chunk of chunkRows(rows)) {
  await db.insert(jobs).values(chunk);
}
const probeId = rows[JOBS / 2]?.id ?? "";

const queries = {
  api_key_lookup: {
    drizzle: () =>
      db
        .select({ id: apiKeys.id, workspaceId: apiKeys.workspaceId, role: apiKeys.role })
        .from(apiKeys)
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
        .limit(1),
    raw: () =>
      client.execute({
        sql: "select id, workspace_id, role from api_keys where key_hash = ? and revoked_at is null limit 1",
        args: [keyHash],
      }),
  },
  job_by_id: {
    drizzle: () =>
      db
        .select()
        .from(jobs)
        .where(and(eq(jobs.id, probeId), eq(jobs.workspaceId, "ws_bench")))
        .limit(1),
    raw: () =>
      client.execute({
        sql: "select * from jobs where id = ? and workspace_id = ? limit 1",
        args: [probeId, "ws_bench"],
      }),
  },
  jobs_first_page: {
    drizzle: () =>
      db
        .select()
        .from(jobs)
        .where(eq(jobs.workspaceId, "ws_bench"))
        .orderBy(desc(jobs.createdAt), desc(jobs.id))
        .limit(51),
    raw: () =>
      client.execute({
        sql: "select * from jobs where workspace_id = ? order by created_at desc, id desc limit 51",
        args: ["ws_bench"],
      }),
  },
};

const results: Record<string, unknown> = {};
for (const [name, q] of Object.entries(queries)) {
  const raw = await sampleLatencies(q.raw, ITERATIONS);
  const drizzle = await sampleLatencies(q.drizzle, ITERATIONS);
  const rawP50 = percentile(raw, 50);
  const drizzleP50 = percentile(drizzle, 50);
  results[name] = {
    raw_p50_ms: round(rawP50, 4),
    drizzle_p50_ms: round(drizzleP50, 4),
    overhead_ratio: round(drizzleP50 / rawP50, 3),
  };
}
const ratios = Object.values(results).map((r) => (r as { overhead_ratio: number }).overhead_ratio);
report({
  name: "drizzle_overhead",
  iterations: ITERATIONS,
  jobs_in_table: JOBS,
  queries: results,
  max_overhead_ratio: Math.max(...ratios),
  target_max_overhead_ratio: 1.3,
});
dispose();
