import { eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Ctx } from "../../src/context";
import { evalExecutions } from "../../src/db/schema";
import { writeExecutions } from "../../src/evals/write-executions";
import type { MatrixFilters } from "../../src/matrix";
import { computeJoinedStats, computeMatrixStats } from "../../src/matrix/stats";
import type { EvalOutcome } from "../../src/sandbox";
import { createAgent, createVersion } from "./agent-factories";
import type { TestApp } from "./app";
import { createWorkspace } from "./factories";
import { createEval } from "./matrix-factories";

// A workspace with two agents (a version and evals each) for the tests that the label copy on
// eval_executions stays exact, and the check that the fast stats equal the join-based reference.

export async function createLabelCopyWorld(t: TestApp) {
  const ws = await createWorkspace(t.db);
  const agents = [await createAgent(t.db, ws), await createAgent(t.db, ws)];
  const versions = [];
  const evalsOf: string[][] = [];
  for (const [i, agent] of agents.entries()) {
    versions.push(await createVersion(t.db, agent, { promptTemplate: `You are agent ${i} of {{company}}.` }));
    const evalRows = [await createEval(t.db, ws, agent), await createEval(t.db, ws, agent)];
    evalsOf.push(evalRows.map((e) => e.id));
  }
  const evalCode = new Map<string, string>();
  for (const ids of evalsOf) {
    for (const id of ids) {
      evalCode.set(id, "export function evaluate(trace) { return true; }");
    }
  }
  const ctx: Ctx = {
    db: t.db,
    workspaceId: ws.id,
    actor: { kind: "local", role: "owner", apiKeyId: undefined },
    requestId: "req-test",
    deps: t.deps,
  };
  return { ws, agents, versions, evalsOf, evalCode, ctx };
}
export type LabelCopyWorld = Awaited<ReturnType<typeof createLabelCopyWorld>>;

/** A verdict (true = pass) or a failed run, as the sandbox returns it. */
export function outcomeOf(result: boolean | "error", ms: number): EvalOutcome {
  if (result === "error") {
    return { ok: false, error: { kind: "runtime", message: "TypeError: boom" }, console: "", durationMs: ms };
  }
  return { ok: true, pass: result, score: result ? 1 : 0, reason: "r", console: "", durationMs: ms, ticks: 1 };
}

/** Writes executions through the production writer (the one the execute job uses). */
export async function execute(
  w: LabelCopyWorld,
  t: TestApp,
  evalId: string,
  rows: { traceId: string; result: boolean | "error"; ms: number }[],
): Promise<void> {
  await writeExecutions(
    w.ctx,
    { evalId, code: w.evalCode.get(evalId) ?? "", jobId: null, executedAt: t.clock.now().toISOString() },
    rows.map((r) => ({ traceId: r.traceId, outcome: outcomeOf(r.result, r.ms) })),
  );
}

/** The label copy of each execution on the trace, by eval id. */
export async function labelCopies(t: TestApp, traceId: string) {
  const rows = await t.db
    .select({
      evalId: evalExecutions.evalId,
      rating: evalExecutions.labelRating,
      createdAt: evalExecutions.labelCreatedAt,
    })
    .from(evalExecutions)
    .where(eq(evalExecutions.traceId, traceId));
  return Object.fromEntries(rows.map((r) => [r.evalId, { rating: r.rating, createdAt: r.createdAt }]));
}

/** Filters the fast path serves, over the label dates the tests use (2026-01-01 onwards). */
export const FAST_PATH_FILTERS: MatrixFilters[] = [
  { mode: "all" },
  { mode: "all", ratings: ["positive"] },
  { mode: "all", ratings: ["negative", "neutral"] },
  { mode: "all", dateFrom: "2026-01-01T00:00:05.000Z" },
  { mode: "all", dateTo: "2026-01-01T00:00:10.000Z", ratings: ["positive", "negative"] },
];

/** For each agent and filter: the index-scan stats equal the join over the labels themselves. */
export async function expectFastStatsMatchJoin(w: LabelCopyWorld): Promise<void> {
  for (const [i, agent] of w.agents.entries()) {
    const evalIds = w.evalsOf[i] ?? [];
    for (const filters of FAST_PATH_FILTERS) {
      const fast = await computeMatrixStats(w.ctx, agent.id, evalIds, filters);
      const reference = await computeJoinedStats(w.ctx, agent.id, evalIds, filters);
      expect({ agent: i, filters, stats: fast }).toEqual({ agent: i, filters, stats: reference });
    }
  }
}
