import { parseConfig } from "../src/config";
import type { Ctx } from "../src/context";
import type { Database } from "../src/db/client";
import { newId } from "../src/db/ids";
import { agents, evalExecutions, evals, feedback, traces, workspaces } from "../src/db/schema";
import type { FeedbackRating } from "../src/db/schema/enums";
import { getMatrix, getMatrixStats } from "../src/matrix";
import { benchDeps } from "./lib/deps";
// The matrix over 100,000 labeled traces × 5 evals on a file database, through the services the API
// calls: p50 of a 50-row page with full stats (what GET /api/agents/:id/matrix does), of the stats
// alone, and of a contradictions-only page. Data: 45% positive / 45% negative / 10% neutral labels,
// labels created three to an instant (cursor ties), per eval 2% not executed, 3% errors, 85% agreement.

import { openBenchDb } from "./lib/file-db";
import { percentile, report, round, sampleLatencies } from "./lib/measure";

const LABELED_TRACES = 100_000;
const EVALS = 5;
const ROWS_PER_INSERT = 1_000; // SQLite's own parameter limit applies on a file database, not D1's
const ITERATIONS = 30;

/** A deterministic generator (LCG), so every run measures the same data. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

async function insertAll<T extends object>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    await insert(rows.slice(i, i + ROWS_PER_INSERT));
  }
}

function ratingFor(r: number): FeedbackRating {
  return r < 0.45 ? "positive" : r < 0.9 ? "negative" : "neutral";
}

interface Scope {
  workspaceId: string;
  agentId: string;
  evalIds: string[];
}

/** Per eval: 2% not executed, 3% errors (no verdict), otherwise agreeing with the label 85% of the time. */
function executionsOf(
  scope: Scope,
  label: { traceId: string; rating: FeedbackRating; createdAt: string },
  at: number,
  random: () => number,
) {
  const { traceId, rating } = label;
  return scope.evalIds.flatMap((evalId) => {
    const q = random();
    if (q < 0.02) {
      return [];
    }
    const failed = q < 0.05;
    const pass = failed ? null : (rating === "positive") === random() < 0.85;
    return [
      {
        id: newId("evalExecution", at),
        workspaceId: scope.workspaceId,
        evalId,
        traceId,
        predictedResult: pass,
        score: pass === null ? null : pass ? 1 : 0,
        reason: pass === null ? null : "checked the refund window",
        error: failed ? "TypeError: cannot read properties of undefined" : null,
        executionTimeMs: Math.floor(random() * 40),
        // The label copy the execution writer makes (src/matrix/execution-labels.ts).
        labelRating: rating,
        labelCreatedAt: label.createdAt,
        labelAgentId: scope.agentId,
      },
    ];
  });
}

/** Traces, their labels (three to an instant, for cursor ties) and their executions. */
function buildRows(scope: Scope) {
  const random = seededRandom(42);
  const start = Date.UTC(2026, 0, 1);
  const { workspaceId, agentId } = scope;
  const traceRows = [];
  const labelRows = [];
  const executionRows = [];
  for (let i = 0; i < LABELED_TRACES; i++) {
    const at = start + i * 1000;
    const traceId = newId("trace", at);
    const rating = ratingFor(random());
    traceRows.push({
      id: traceId,
      workspaceId,
      source: "api" as const,
      externalId: traceId,
      startedAt: new Date(at).toISOString(),
      inputPreview: `What is the refund policy for order ${i}?`,
      outputPreview: `Orders can be refunded within 30 days; order ${i} qualifies.`,
    });
    const createdAt = new Date(start + Math.floor(i / 3) * 1000).toISOString();
    labelRows.push({ id: newId("feedback", at), workspaceId, traceId, agentId, rating, createdBy: "bench", createdAt });
    executionRows.push(...executionsOf(scope, { traceId, rating, createdAt }, at, random));
  }
  return { traceRows, labelRows, executionRows };
}

async function seed(db: Database): Promise<Scope> {
  const scope = {
    workspaceId: newId("workspace"),
    agentId: newId("agent"),
    evalIds: Array.from({ length: EVALS }, () => newId("eval")),
  };
  const { workspaceId, agentId } = scope;
  await db.insert(workspaces).values({ id: workspaceId, name: "bench" });
  await db.insert(agents).values({ id: agentId, workspaceId, name: "bench agent", status: "confirmed" });
  const evalRows = scope.evalIds.map((id, i) => ({
    id,
    workspaceId,
    agentId,
    version: i + 1,
    name: `eval ${i}`,
    code: "x",
  }));
  await db.insert(evals).values(evalRows);
  const { traceRows, labelRows, executionRows } = buildRows(scope);
  await insertAll(traceRows, (chunk) => db.insert(traces).values(chunk));
  await insertAll(labelRows, (chunk) => db.insert(feedback).values(chunk));
  await insertAll(executionRows, (chunk) => db.insert(evalExecutions).values(chunk));
  return scope;
}

const { db, client, dispose } = await openBenchDb();
try {
  const seedStart = performance.now();
  const { workspaceId, agentId, evalIds } = await seed(db);
  await client.execute("ANALYZE");
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const deps = benchDeps(db, { config: parseConfig({}) });
  const ctx: Ctx = {
    db,
    workspaceId,
    actor: { kind: "local", role: "owner", apiKeyId: undefined },
    requestId: "bench",
    deps,
  };
  const all = { mode: "all" as const };
  const page = await sampleLatencies(
    () => getMatrix(ctx, { agentId, evalIds, filters: all, limit: 50 }),
    ITERATIONS,
    3,
  );
  const stats = await sampleLatencies(() => getMatrixStats(ctx, { agentId, evalIds, filters: all }), ITERATIONS, 3);
  const contradictions = { mode: "contradictions_only" as const };
  const filtered = await sampleLatencies(
    () => getMatrix(ctx, { agentId, evalIds, filters: contradictions, limit: 50 }),
    ITERATIONS,
    3,
  );
  report({
    name: "matrix",
    labeled_traces: LABELED_TRACES,
    evals: EVALS,
    page_p50_ms: round(percentile(page, 50), 1),
    page_p95_ms: round(percentile(page, 95), 1),
    stats_p50_ms: round(percentile(stats, 50), 1),
    contradictions_page_p50_ms: round(percentile(filtered, 50), 1),
    target_ms: 100,
    seed_seconds: round(seedSeconds, 1),
  });
} finally {
  dispose();
}
