import { type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { evalExecutions, feedback } from "../db/schema";
import { type Agreement, type ConfusionCounts, computeAgreement } from "./agreement";
import { type ExecutionAlias, executionAlias, joinExecutions, type MatrixFilters, matrixRowsWhere } from "./query";

/**
 * One eval over a set of labeled rows. Every row lands in exactly one bucket: pending (no execution),
 * error (no verdict), neutral (verdict on a neutral label) or one confusion cell, so
 * `total = pending + errors + neutral + n`.
 */
export interface EvalStats extends Agreement {
  evalId: string;
  total: number;
  confusion: ConfusionCounts;
  contradictionCount: number;
  errorCount: number;
  neutralCount: number;
  pendingCount: number;
  /** Mean `execution_time_ms` over the executions among the rows (errors included), null if none. */
  meanLatencyMs: number | null;
}

export interface MatrixStats {
  /** Rows in the filtered set. */
  total: number;
  evals: EvalStats[];
}

/** `sum(case when <condition> then 1 else 0 end)`: one confusion cell in one pass over the rows. */
function countWhere(condition: SQL): SQL<number> {
  return sql<number>`sum(case when ${condition} then 1 else 0 end)`;
}

/** The aggregates of eval `i`, keyed `e<i>_<name>`, all computed in the same scan. */
function statFields(x: ExecutionAlias, i: number): Record<string, SQL<unknown>> {
  const verdictOn = (verdict: 0 | 1, rating: "positive" | "negative") =>
    countWhere(
      sql`${x.predictedResult} = ${sql.raw(String(verdict))} and ${feedback.rating} = ${sql.raw(`'${rating}'`)}`,
    );
  return {
    [`e${i}_executed`]: sql<number>`count(${x.traceId})`,
    // count() skips nulls: executions minus verdicts are the executions without one.
    [`e${i}_errors`]: sql<number>`count(${x.traceId}) - count(${x.predictedResult})`,
    [`e${i}_tp`]: verdictOn(1, "positive"),
    [`e${i}_fn`]: verdictOn(0, "positive"),
    [`e${i}_fp`]: verdictOn(1, "negative"),
    [`e${i}_tn`]: verdictOn(0, "negative"),
    [`e${i}_latency`]: sql<number | null>`avg(${x.executionTimeMs})`,
  };
}

export function num(value: unknown): number {
  return Number(value ?? 0);
}

/** What both computations count per eval; the rest of {@link EvalStats} follows from it. */
export interface EvalCounts {
  confusion: ConfusionCounts;
  executed: number;
  errorCount: number;
  meanLatencyMs: number | null;
}

export function toEvalStats(evalId: string, total: number, counts: EvalCounts): EvalStats {
  const { confusion, executed, errorCount, meanLatencyMs } = counts;
  const agreement = computeAgreement(confusion);
  return {
    evalId,
    total,
    ...agreement,
    confusion,
    contradictionCount: confusion.fp + confusion.fn,
    errorCount,
    neutralCount: executed - errorCount - agreement.n,
    pendingCount: total - executed,
    meanLatencyMs,
  };
}

function countsOfRow(row: Record<string, unknown>, i: number): EvalCounts {
  const get = (name: string) => row[`e${i}_${name}`];
  const latency = get("latency");
  return {
    confusion: { tp: num(get("tp")), fp: num(get("fp")), tn: num(get("tn")), fn: num(get("fn")) },
    executed: num(get("executed")),
    errorCount: num(get("errors")),
    meanLatencyMs: latency === null || latency === undefined ? null : Number(latency),
  };
}

/**
 * Stats of each eval over the WHOLE filtered set, in one aggregate query (one LEFT JOIN per eval on
 * the covering index): rows are counted in SQL, never loaded. It reads the labels and executions
 * themselves, so it serves the modes that look across evals and is the reference the scan must match.
 */
export async function computeJoinedStats(
  ctx: Ctx,
  agentId: string,
  evalIds: string[],
  filters: MatrixFilters,
): Promise<MatrixStats> {
  const xs = evalIds.map((_, i) => executionAlias(i));
  const fields: Record<string, SQL<unknown>> = Object.assign(
    { total: sql<number>`count(*)` },
    ...xs.map((x, i) => statFields(x, i)),
  );
  const query = joinExecutions(ctx.db.select(fields).from(feedback).$dynamic(), xs, evalIds);
  const [row = {}] = await query.where(matrixRowsWhere(ctx, agentId, filters, xs));
  const total = num(row.total);
  return { total, evals: evalIds.map((id, i) => toEvalStats(id, total, countsOfRow(row, i))) };
}

function emptyCounts(): EvalCounts {
  return { confusion: { tp: 0, fp: 0, tn: 0, fn: 0 }, executed: 0, errorCount: 0, meanLatencyMs: null };
}

/** A string constant written into the SQL (see the note on binding in query.ts). */
function literal(value: string): SQL {
  return sql.raw(`'${value.replaceAll("'", "''")}'`);
}

/**
 * The executions of one eval whose label counts for the eval's agent and passes the filters, counted
 * per (rating, verdict): a range of eval_executions_eval_id_label_rating_predicted_result_idx read in
 * index order, so the GROUP BY streams without sorting and never reads the table. It checks the eval
 * is the workspace's.
 */
function evalGroupsQuery(ctx: Ctx, evalId: string, filters: MatrixFilters) {
  const x = evalExecutions;
  const ratings = filters.ratings?.length
    ? sql`${x.labelRating} in (${sql.join(filters.ratings.map(literal), sql`, `)})`
    : sql`${x.labelRating} is not null`;
  const from = filters.dateFrom ? sql` and ${x.labelCreatedAt} >= ${literal(filters.dateFrom)}` : sql``;
  const to = filters.dateTo ? sql` and ${x.labelCreatedAt} <= ${literal(filters.dateTo)}` : sql``;
  return ctx.db
    .select({
      rating: x.labelRating,
      verdict: x.predictedResult,
      n: sql<number>`count(*)`,
      msSum: sql<number | null>`sum(${x.executionTimeMs})`,
      msCount: sql<number>`count(${x.executionTimeMs})`,
    })
    .from(x)
    .where(
      sql`${x.evalId} = ${literal(evalId)} and ${ratings}${from}${to}
        and exists (select 1 from evals e where e.id = ${literal(evalId)} and e.workspace_id = ${literal(ctx.workspaceId)})`,
    )
    .groupBy(x.labelRating, x.predictedResult);
}

type EvalGroup = Awaited<ReturnType<typeof evalGroupsQuery>>[number];

function countsOfGroups(groups: EvalGroup[]): EvalCounts {
  const counts = emptyCounts();
  let msSum = 0;
  let msCount = 0;
  for (const g of groups) {
    const n = num(g.n);
    counts.executed += n;
    msSum += num(g.msSum);
    msCount += num(g.msCount);
    if (g.verdict === null) {
      counts.errorCount += n;
    } else if (g.rating === "positive") {
      counts.confusion[g.verdict ? "tp" : "fn"] += n;
    } else if (g.rating === "negative") {
      counts.confusion[g.verdict ? "fp" : "tn"] += n;
    }
  }
  counts.meanLatencyMs = msCount === 0 ? null : msSum / msCount;
  return counts;
}

/**
 * The fast path: per eval one grouped index range of the executions (each carries its trace's label
 * as it counts for the eval's agent, see execution-labels.ts), plus one count of the labels for the
 * universe; pending = universe − executed. One db.batch of evals + 1 statements: one round trip on D1.
 */
async function scanMatrixStats(ctx: Ctx, agentId: string, evalIds: string[], filters: MatrixFilters) {
  const universe = ctx.db
    .select({ n: sql<number>`count(*)` })
    .from(feedback)
    .where(matrixRowsWhere(ctx, agentId, filters, []));
  const [universeRows, ...groupsPerEval] = await ctx.db.batch([
    universe,
    ...evalIds.map((evalId) => evalGroupsQuery(ctx, evalId, filters)),
  ]);
  const total = num(universeRows[0]?.n);
  const evals = evalIds.map((evalId, i) => toEvalStats(evalId, total, countsOfGroups(groupsPerEval[i] ?? [])));
  return { total, evals };
}

/**
 * Stats of each eval over the WHOLE filtered set. Rating and date filters are ranges on the label copy
 * each execution carries, so they take the index scan; a contradiction/error mode keeps a row when ANY
 * requested eval matches, which only the join sees. `evalIds` must be the agent's evals (the callers
 * check it: getAgentEvalsOrThrow, or the eval's own agent), since the copy is per the eval's agent.
 */
export async function computeMatrixStats(
  ctx: Ctx,
  agentId: string,
  evalIds: string[],
  filters: MatrixFilters,
): Promise<MatrixStats> {
  if (filters.mode === "all") {
    return scanMatrixStats(ctx, agentId, evalIds, filters);
  }
  return computeJoinedStats(ctx, agentId, evalIds, filters);
}
