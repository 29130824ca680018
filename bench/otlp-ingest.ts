// OTLP ingest end to end: spans/s through POST /v1/traces, in-process, into a file database (decode,
// map, summarise, encode, hash, upsert, template assignment), against raw batched INSERTs of the very
// same rows (read back from the ingested database) with the libsql client, in the same run.
// Run: npx tsx bench/otlp-ingest.ts [requests=100] [spansPerRequest=500]
import type { InStatement } from "@libsql/client";
import { createApp } from "../src/app";
import { systemClock } from "../src/clock";
import { parseConfig } from "../src/config";
import type { Deps } from "../src/context";
import { silentLogger } from "../src/logger";
import { createSecretBox } from "../src/secrets/secret-box";
import { openBenchDb } from "./lib/file-db";
import { report, round } from "./lib/measure";
import { otlpRequest } from "./lib/otlp-workload";

const REQUESTS = Number(process.argv[2] ?? 100);
const SPANS_PER_REQUEST = Number(process.argv[3] ?? 500);
const SPANS_PER_TRACE = 10;
const WS = "ws_bench";

// Bytes, as an exporter sends them (a string body would add the test client's own UTF-8 encoding).
const encoder = new TextEncoder();
const bodies = Array.from({ length: REQUESTS }, (_, r) =>
  encoder.encode(JSON.stringify(otlpRequest(r, SPANS_PER_REQUEST, SPANS_PER_TRACE))),
);
const spanTotal = REQUESTS * Math.floor(SPANS_PER_REQUEST / SPANS_PER_TRACE) * SPANS_PER_TRACE;

const ingestDb = await openBenchDb();
const deps: Deps = {
  db: ingestDb.db,
  clock: systemClock,
  logger: silentLogger,
  config: parseConfig({ AUTH_MODE: "local" }),
  jobQueue: { enqueue: async () => undefined },
  secrets: await createSecretBox("bench-encryption-key-0123456789abcdef"),
  random: Math.random,
};
const app = createApp(deps);
const post = (body: Uint8Array) =>
  app.request("/v1/traces", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/json", "X-Workspace-Id": WS },
  });

// Warm-up on a throwaway request (JIT, prepared schema, workspace row), then measure.
const warm = await post(encoder.encode(JSON.stringify(otlpRequest(REQUESTS + 1, 50, SPANS_PER_TRACE))));
if (warm.status !== 200) {
  throw new Error(`warm-up failed: ${warm.status} ${await warm.text()}`);
}
const ingestStart = performance.now();
for (const body of bodies) {
  const res = await post(body);
  if (res.status !== 200) {
    throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
  }
  await res.arrayBuffer();
}
const ingestMs = performance.now() - ingestStart;

// The same rows, as stored, inserted raw into fresh databases with the libsql client, one write batch
// per request's worth of traces: (a) one INSERT per row, (b) multi-row INSERTs of at most 100 parameters
// (D1's limit; the service writes this way). (b) is the floor: nothing but the database's own work.
const traceRows = (
  await ingestDb.client.execute("select * from traces where workspace_id = ? order by imported_at, id", [WS])
).rows;
const chunkRowsRead = (await ingestDb.client.execute("select * from trace_payload_chunks order by trace_id, seq")).rows;

function inserts(table: string, rows: typeof traceRows, rowsPerStatement: number): InStatement[] {
  const columns = rows[0] ? Object.keys(rows[0]) : [];
  const perStatement = Math.max(1, Math.min(rowsPerStatement, Math.floor(100 / columns.length)));
  const statements: InStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const group = rows.slice(i, i + perStatement);
    const values = group.map(() => `(${columns.map(() => "?").join(", ")})`).join(", ");
    statements.push({
      sql: `insert into ${table} (${columns.join(", ")}) values ${values}`,
      args: group.flatMap((row) => columns.map((c) => row[c] ?? null)),
    });
  }
  return statements;
}

async function rawInsertMs(rowsPerStatement: number): Promise<number> {
  const raw = await openBenchDb();
  await raw.client.execute({ sql: "insert into workspaces (id, name) values (?, ?)", args: [WS, "bench"] });
  const tracesPerRequest = Math.floor(SPANS_PER_REQUEST / SPANS_PER_TRACE);
  const started = performance.now();
  for (let i = 0; i < traceRows.length; i += tracesPerRequest) {
    const group = traceRows.slice(i, i + tracesPerRequest);
    const ids = new Set(group.map((r) => r.id));
    const chunks = chunkRowsRead.filter((c) => ids.has(c.trace_id));
    const statements = [
      ...inserts("traces", group, rowsPerStatement),
      ...inserts("trace_payload_chunks", chunks, rowsPerStatement),
    ];
    await raw.client.batch(statements, "write");
  }
  const ms = performance.now() - started;
  raw.dispose();
  return ms;
}

const rawPerRowMs = await rawInsertMs(1);
const rawMultiRowMs = await rawInsertMs(Number.POSITIVE_INFINITY);
const storedSpans = traceRows.reduce((sum, r) => sum + Number(r.span_count), 0);

const ingestRate = (spanTotal / ingestMs) * 1000;
const perRowRate = (storedSpans / rawPerRowMs) * 1000;
const multiRowRate = (storedSpans / rawMultiRowMs) * 1000;
report({
  bench: "otlp-ingest",
  spans_per_sec: Math.round(ingestRate),
  raw_insert_spans_per_sec: Math.round(perRowRate),
  ratio_to_raw: round(ingestRate / perRowRate, 3),
  raw_multirow_insert_spans_per_sec: Math.round(multiRowRate),
  ratio_to_raw_multirow: round(ingestRate / multiRowRate, 3),
  spans: spanTotal,
  traces: traceRows.length,
  payload_mb: round(chunkRowsRead.reduce((sum, c) => sum + String(c.body).length, 0) / 1e6, 1),
  requests: REQUESTS,
  spans_per_request: SPANS_PER_REQUEST,
  ingest_ms: Math.round(ingestMs),
  raw_ms: Math.round(rawPerRowMs),
  raw_multirow_ms: Math.round(rawMultiRowMs),
  target_spans_per_sec: 5000,
  target_ratio: 0.4,
});
ingestDb.dispose();
