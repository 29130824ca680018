// OTLP ingest end to end: spans/s through POST /v1/traces, in-process, into a file database (decode,
// map, summarise, encode, hash, upsert, template assignment), against raw batched INSERTs of the very
// same rows (read back from the ingested database) with the libsql client, in the same run. Each round
// uses fresh databases; the medians of the rounds are reported (the machine is shared and noisy).
// Run: npx tsx bench/otlp-ingest.ts [requests=100] [spansPerRequest=500] [rounds=3]
import type { InStatement, Row } from "@libsql/client";
import { createApp } from "../src/app";
import { systemClock } from "../src/clock";
import { parseConfig } from "../src/config";
import type { Deps } from "../src/context";
import { silentLogger } from "../src/logger";
import { createSecretBox } from "../src/secrets/secret-box";
import { openBenchDb } from "./lib/file-db";
import { percentile, report, round } from "./lib/measure";
import { otlpRequest } from "./lib/otlp-workload";

const REQUESTS = Number(process.argv[2] ?? 100);
const SPANS_PER_REQUEST = Number(process.argv[3] ?? 500);
const ROUNDS = Number(process.argv[4] ?? 3);
const SPANS_PER_TRACE = 10;
const TRACES_PER_REQUEST = Math.floor(SPANS_PER_REQUEST / SPANS_PER_TRACE);
const WS = "ws_bench";

// Bytes, as an exporter sends them (a string body would add the test client's own UTF-8 encoding).
const encoder = new TextEncoder();
const bodies = Array.from({ length: REQUESTS }, (_, r) =>
  encoder.encode(JSON.stringify(otlpRequest(r, SPANS_PER_REQUEST, SPANS_PER_TRACE))),
);
const spanTotal = REQUESTS * TRACES_PER_REQUEST * SPANS_PER_TRACE;
const secrets = await createSecretBox("bench-encryption-key-0123456789abcdef");

/** Ingests every body through the app into a fresh database; returns the time and the stored rows. */
async function ingestRound(): Promise<{ ms: number; traceRows: Row[]; chunkRows: Row[] }> {
  const target = await openBenchDb();
  const deps: Deps = {
    db: target.db,
    clock: systemClock,
    logger: silentLogger,
    config: parseConfig({ AUTH_MODE: "local" }),
    jobQueue: { enqueue: async () => undefined },
    secrets,
    random: Math.random,
  };
  const app = createApp(deps);
  const post = async (body: Uint8Array) => {
    const headers = { "Content-Type": "application/json", "X-Workspace-Id": WS };
    const res = await app.request("/v1/traces", { method: "POST", body, headers });
    if (res.status !== 200) {
      throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
    }
    await res.arrayBuffer();
  };
  // Warm-up on a throwaway trace (JIT, workspace row), then measure.
  await post(encoder.encode(JSON.stringify(otlpRequest(REQUESTS + 1, SPANS_PER_TRACE, SPANS_PER_TRACE))));
  const started = performance.now();
  for (const body of bodies) {
    await post(body);
  }
  const ms = performance.now() - started;
  const traceRows = (await target.client.execute("select * from traces order by imported_at, id")).rows.slice(1);
  const chunkRows = (await target.client.execute("select * from trace_payload_chunks order by trace_id, seq")).rows;
  target.dispose();
  return { ms, traceRows, chunkRows };
}

function inserts(table: string, rows: Row[], rowsPerStatement: number): InStatement[] {
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

/**
 * The same rows inserted raw into a fresh database, one write batch per request's worth of traces:
 * one INSERT per row, or multi-row INSERTs of at most 100 parameters (D1's limit, as the service writes).
 */
async function rawRound(traceRows: Row[], chunkRows: Row[], rowsPerStatement: number): Promise<number> {
  const raw = await openBenchDb();
  await raw.client.execute({ sql: "insert into workspaces (id, name) values (?, ?)", args: [WS, "bench"] });
  const started = performance.now();
  for (let i = 0; i < traceRows.length; i += TRACES_PER_REQUEST) {
    const group = traceRows.slice(i, i + TRACES_PER_REQUEST);
    const ids = new Set(group.map((r) => r.id));
    const chunks = chunkRows.filter((c) => ids.has(c.trace_id));
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

const ingestMs: number[] = [];
const perRowMs: number[] = [];
const multiRowMs: number[] = [];
let payloadMb = 0;
for (let r = 0; r < ROUNDS; r++) {
  const round = await ingestRound();
  ingestMs.push(round.ms);
  perRowMs.push(await rawRound(round.traceRows, round.chunkRows, 1));
  multiRowMs.push(await rawRound(round.traceRows, round.chunkRows, Number.POSITIVE_INFINITY));
  payloadMb = round.chunkRows.reduce((sum, c) => sum + String(c.body).length, 0) / 1e6;
}
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const rate = (ms: number) => (spanTotal / ms) * 1000;
const ingestRate = rate(median(ingestMs));
report({
  bench: "otlp-ingest",
  spans_per_sec: Math.round(ingestRate),
  raw_insert_spans_per_sec: Math.round(rate(median(perRowMs))),
  ratio_to_raw: round(ingestRate / rate(median(perRowMs)), 3),
  raw_multirow_insert_spans_per_sec: Math.round(rate(median(multiRowMs))),
  ratio_to_raw_multirow: round(ingestRate / rate(median(multiRowMs)), 3),
  spans: spanTotal,
  traces: REQUESTS * TRACES_PER_REQUEST,
  payload_mb: round(payloadMb, 1),
  rounds: ROUNDS,
  ingest_ms: ingestMs.map(Math.round),
  raw_ms: perRowMs.map(Math.round),
  raw_multirow_ms: multiRowMs.map(Math.round),
  target_spans_per_sec: 5000,
  target_ratio: 0.4,
});
