import { type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { feedback } from "../db/schema";
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

function num(value: unknown): number {
  return Number(value ?? 0);
}

function toEvalStats(row: Record<string, unknown>, evalId: string, i: number, total: number): EvalStats {
  const get = (name: string) => row[`e${i}_${name}`];
  const confusion = { tp: num(get("tp")), fp: num(get("fp")), tn: num(get("tn")), fn: num(get("fn")) };
  const executed = num(get("executed"));
  const errorCount = num(get("errors"));
  const agreement = computeAgreement(confusion);
  const latency = get("latency");
  return {
    evalId,
    total,
    ...agreement,
    confusion,
    contradictionCount: confusion.fp + confusion.fn,
    errorCount,
    neutralCount: executed - errorCount - agreement.n,
    pendingCount: total - executed,
    meanLatencyMs: latency === null || latency === undefined ? null : Number(latency),
  };
}

/**
 * Stats of each eval over the WHOLE filtered set, in one aggregate query (one LEFT JOIN per eval on
 * the covering index): rows are counted in SQL, never loaded.
 */
export async function computeMatrixStats(
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
  return { total, evals: evalIds.map((id, i) => toEvalStats(row, id, i, total)) };
}
