// OTLP ingest end to end: spans/s through POST /v1/traces, in-process, into a file database (decode,
// map, summarise, encode and hash on the host's ingest thread; upsert and template assignment), against raw
// batched INSERTs of the very same rows (read back from the ingested database) with the libsql client.
//
// The ingest rate is measured as exporters send: CONCURRENCY requests in flight (an OTel Collector's
// sending queue has 10 consumers by default, the OTel JS exporter allows 30 concurrent exports), the
// median of ROUNDS runs into fresh databases. SQLite has one writer, so raw inserts from one connection
// are the database's own ceiling, and the ratio says how much of it ingest delivers.
// One request at a time is reported too: there a request's decoding and its write run in series, since
// the answer waits for both and splitting the write into several commits costs more than overlapping wins.
// Run: npx tsx bench/otlp-ingest.ts [requests=100] [spansPerRequest=500]
import type { InStatement, Row } from "@libsql/client";
import { createApp } from "../src/app";
import { createIngestThreadPool } from "../src/runtime/ingest-threads";
import { createSecretBox } from "../src/secrets/secret-box";
import { benchDeps } from "./lib/deps";
import { openBenchDb } from "./lib/file-db";
import { percentile, report, round } from "./lib/measure";
import { otlpRequest } from "./lib/otlp-workload";

const REQUESTS = Number(process.argv[2] ?? 100);
const SPANS_PER_REQUEST = Number(process.argv[3] ?? 500);
const SPANS_PER_TRACE = 10;
const TRACES_PER_REQUEST = Math.floor(SPANS_PER_REQUEST / SPANS_PER_TRACE);
const CONCURRENCY = 4;
const ROUNDS = 3;
const WS = "ws_bench";

// Bytes, as an exporter sends them (a string body would add the test client's own UTF-8 encoding).
const encoder = new TextEncoder();
const makeBodies = () =>
  Array.from({ length: REQUESTS }, (_, r) =>
    encoder.encode(JSON.stringify(otlpRequest(r, SPANS_PER_REQUEST, SPANS_PER_TRACE))),
  );
// Posting hands a body's buffer to the ingest thread, so each run gets its own copies.
const bodies = makeBodies();
const spanTotal = REQUESTS * TRACES_PER_REQUEST * SPANS_PER_TRACE;
const secrets = await createSecretBox("bench-encryption-key-0123456789abcdef");

interface Side {
  db: Awaited<ReturnType<typeof openBenchDb>>;
  ms: number;
}

async function rawSide(): Promise<Side> {
  const db = await openBenchDb();
  await db.client.execute({ sql: "insert into workspaces (id, name) values (?, ?)", args: [WS, "bench"] });
  return { db, ms: 0 };
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

// One request at a time, paired with the baselines: after each request, the rows it stored (read back,
// untimed) are inserted raw into two other databases, one INSERT per row and multi-row INSERTs of at most
// 100 parameters (D1's limit, as the service writes), each request's rows one batch. Load from other
// processes then hits both sides alike.
const target = await openBenchDb();
// As the Node host runs it: OTLP bodies are prepared on a worker thread while the main thread writes.
const ingestThreads = createIngestThreadPool();
await ingestThreads.ready();
const app = createApp(benchDeps(target.db, { secrets, prepareIngest: ingestThreads.prepare }));
async function post(body: Uint8Array, into = app): Promise<void> {
  // As an exporter sends it: a buffered body with its Content-Length (Hono checks the limit from it).
  const headers = {
    "Content-Type": "application/json",
    "Content-Length": String(body.byteLength),
    "X-Workspace-Id": WS,
  };
  const res = await into.request("/v1/traces", { method: "POST", body, headers });
  if (res.status !== 200) {
    throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
  }
  await res.arrayBuffer();
}
// Warm-up on a throwaway trace (JIT, workspace row), then measure.
await post(encoder.encode(JSON.stringify(otlpRequest(REQUESTS + 1, SPANS_PER_TRACE, SPANS_PER_TRACE))));
const rowsAfter = async (table: string, rowid: number) =>
  (
    await target.client.execute({
      sql: `select rowid as r, * from ${table} where rowid > ? order by rowid`,
      args: [rowid],
    })
  ).rows;
let [lastTrace, lastChunk] = [
  Number((await rowsAfter("traces", 0)).at(-1)?.r ?? 0),
  Number((await rowsAfter("trace_payload_chunks", 0)).at(-1)?.r ?? 0),
];
const without = (rows: Row[]) => rows.map(({ r: _rowid, ...rest }) => rest as unknown as Row);

const requestMs: number[] = [];
const perRow = await rawSide();
const multiRow = await rawSide();
let payloadChars = 0;
for (const body of bodies) {
  const started = performance.now();
  await post(body);
  requestMs.push(performance.now() - started);
  const traceRows = await rowsAfter("traces", lastTrace);
  const chunkRows = await rowsAfter("trace_payload_chunks", lastChunk);
  lastTrace = Number(traceRows.at(-1)?.r ?? lastTrace);
  lastChunk = Number(chunkRows.at(-1)?.r ?? lastChunk);
  payloadChars += chunkRows.reduce((sum, c) => sum + String(c.body).length, 0);
  for (const [side, rowsPerStatement] of [
    [perRow, 1],
    [multiRow, Number.POSITIVE_INFINITY],
  ] as const) {
    const statements = [
      ...inserts("traces", without(traceRows), rowsPerStatement),
      ...inserts("trace_payload_chunks", without(chunkRows), rowsPerStatement),
    ];
    const t = performance.now();
    await side.db.client.batch(statements, "write");
    side.ms += performance.now() - t;
  }
}

const singleRequestMs = requestMs.reduce((sum, ms) => sum + ms, 0);

/** The same requests into a fresh database, CONCURRENCY at a time; the wall time in ms. */
async function concurrentRun(): Promise<number> {
  const db = await openBenchDb();
  const into = createApp(benchDeps(db.db, { secrets, prepareIngest: ingestThreads.prepare }));
  await post(encoder.encode(JSON.stringify(otlpRequest(REQUESTS + 1, SPANS_PER_TRACE, SPANS_PER_TRACE))), into);
  const queue = makeBodies();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let body = queue[next++]; body; body = queue[next++]) {
        await post(body, into);
      }
    }),
  );
  const ms = performance.now() - started;
  db.dispose();
  return ms;
}
const runs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  runs.push(await concurrentRun());
}
const ingestMs = percentile(
  runs.sort((a, b) => a - b),
  50,
);
for (const db of [target, perRow.db, multiRow.db]) {
  db.dispose();
}
await ingestThreads.close();

const rate = (ms: number) => (spanTotal / ms) * 1000;
const ratio = (ms: number, rawMs: number) => round(rate(ms) / rate(rawMs), 3);
report({
  bench: "otlp-ingest",
  spans_per_sec: Math.round(rate(ingestMs)),
  ratio_to_raw: ratio(ingestMs, perRow.ms),
  ratio_to_raw_multirow: ratio(ingestMs, multiRow.ms),
  raw_insert_spans_per_sec: Math.round(rate(perRow.ms)),
  raw_multirow_insert_spans_per_sec: Math.round(rate(multiRow.ms)),
  single_request_spans_per_sec: Math.round(rate(singleRequestMs)),
  single_request_ratio_to_raw: ratio(singleRequestMs, perRow.ms),
  single_request_ratio_to_raw_multirow: ratio(singleRequestMs, multiRow.ms),
  single_request_p50_ms: round(
    percentile(
      requestMs.sort((a, b) => a - b),
      50,
    ),
    1,
  ),
  concurrency: CONCURRENCY,
  rounds: ROUNDS,
  spans: spanTotal,
  traces: REQUESTS * TRACES_PER_REQUEST,
  payload_mb: round(payloadChars / 1e6, 1),
  requests: REQUESTS,
  spans_per_request: SPANS_PER_REQUEST,
  ingest_ms: Math.round(ingestMs),
  ingest_ms_runs: runs.map(Math.round),
  single_request_ingest_ms: Math.round(singleRequestMs),
  raw_ms: Math.round(perRow.ms),
  raw_multirow_ms: Math.round(multiRow.ms),
  target_spans_per_sec: 5000,
  target_ratio: 0.4,
});
