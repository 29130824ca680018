// GET /api/traces at 100,000 traces, in-process on a file database: p50/p95 latency of the first page
// and of a page deep in the cursor chain (position 90,000), each with its filtered total_count.
// Run: npx tsx bench/trace-list.ts [traces=100000]
import type { InStatement } from "@libsql/client";
import { encodeCursor } from "../src/api/pagination";
import { createApp } from "../src/app";
import { systemClock } from "../src/clock";
import { parseConfig } from "../src/config";
import type { Deps } from "../src/context";
import { newId } from "../src/db/ids";
import { silentLogger } from "../src/logger";
import { createSecretBox } from "../src/secrets/secret-box";
import { openBenchDb } from "./lib/file-db";
import { percentile, report, round, sampleLatencies } from "./lib/measure";

const TRACES = Number(process.argv[2] ?? 100_000);
const WS = "ws_bench";
const ITERATIONS = 300;
const { db, client, dispose } = await openBenchDb();

// Ten traces per millisecond of import time, so cursors cross many ties; every tenth trace labelled.
const start = Date.UTC(2026, 0, 1);
const rows = Array.from({ length: TRACES }, (_, i) => {
  const importedAt = new Date(start + Math.floor(i / 10)).toISOString();
  return { id: newId("trace", start + Math.floor(i / 10)), importedAt, i };
});
await client.execute({ sql: "insert into workspaces (id, name) values (?, ?)", args: [WS, "bench"] });
const PER_STATEMENT = 9; // 11 parameters per row, D1's 100-parameter limit
const statements: InStatement[] = [];
for (let s = 0; s < rows.length; s += PER_STATEMENT) {
  const group = rows.slice(s, s + PER_STATEMENT);
  statements.push({
    sql: `insert into traces (id, workspace_id, source, external_id, name, input_preview, output_preview, span_count, total_tokens, imported_at, updated_at) values ${group.map(() => "(?,?,?,?,?,?,?,?,?,?,?)").join(",")}`,
    args: group.flatMap((r) => [
      r.id,
      WS,
      r.i % 3 ? "otlp" : "upload",
      `ext-${r.i}`,
      "agent",
      `How do I reset my password? (case ${r.i})`,
      "Open Settings, then Security.",
      10,
      876,
      r.importedAt,
      r.importedAt,
    ]),
  });
}
const labels: InStatement[] = rows
  .filter((r) => r.i % 10 === 0)
  .map((r) => ({
    sql: "insert into feedback (id, workspace_id, trace_id, rating, created_by) values (?, ?, ?, ?, ?)",
    args: [newId("feedback"), WS, r.id, r.i % 20 ? "positive" : "negative", "bench"],
  }));
for (let s = 0; s < statements.length; s += 2000) {
  await client.batch(statements.slice(s, s + 2000), "write");
}
await client.batch(labels, "write");
await client.execute("analyze");

const deps: Deps = {
  db,
  clock: systemClock,
  logger: silentLogger,
  config: parseConfig({ AUTH_MODE: "local" }),
  jobQueue: { enqueue: async () => undefined },
  secrets: await createSecretBox("bench-encryption-key-0123456789abcdef"),
  random: Math.random,
};
const app = createApp(deps);
const get = async (query: string) => {
  const res = await app.request(`/api/traces?${query}`, { headers: { "X-Workspace-Id": WS } });
  if (res.status !== 200) {
    throw new Error(`GET /api/traces?${query}: ${res.status} ${await res.text()}`);
  }
  return res.json() as Promise<{ traces: unknown[]; total_count: number }>;
};

// Newest first: the row at position 90,000 of (imported_at desc, id desc) is the deep cursor.
const ordered = [...rows].sort((a, b) =>
  a.importedAt === b.importedAt ? b.id.localeCompare(a.id) : b.importedAt.localeCompare(a.importedAt),
);
const deepRow = ordered[Math.floor(TRACES * 0.9)] ?? ordered[0];
const deep = encodeCursor({ imported_at: deepRow?.importedAt ?? "", id: deepRow?.id ?? "" });
const check = await get(`limit=50&cursor=${deep}`);
if (check.traces.length !== 50 || check.total_count !== TRACES) {
  throw new Error("unexpected deep page");
}

const first = await sampleLatencies(() => get("limit=50"), ITERATIONS);
const deepPage = await sampleLatencies(() => get(`limit=50&cursor=${deep}`), ITERATIONS);
const filtered = await sampleLatencies(() => get("limit=50&source=upload&has_feedback=true"), ITERATIONS);
report({
  bench: "trace-list",
  traces: TRACES,
  first_page_p50_ms: round(percentile(first, 50)),
  first_page_p95_ms: round(percentile(first, 95)),
  deep_page_p50_ms: round(percentile(deepPage, 50)),
  deep_page_p95_ms: round(percentile(deepPage, 95)),
  filtered_page_p50_ms: round(percentile(filtered, 50)),
  target_p50_ms: 20,
});
dispose();
