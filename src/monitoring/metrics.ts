import { and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { type Eval, evalExecutions, feedback } from "../db/schema";
import { type ConfusionCounts, getEvalOrThrow, labelsOfAgent, ratio } from "../matrix";

/** What an eval's executions in a time range did, judged against the labels of its agent. */
export interface ExecutionMetrics {
  executionCount: number;
  passCount: number;
  failCount: number;
  /** Executions without a verdict (the sandbox failed). */
  errorCount: number;
  /** Verdicts on traces labeled positive or negative: the base of accuracy. */
  labeledCount: number;
  contradictionCount: number;
  confusion: ConfusionCounts;
  /** (labeled − contradictions) / labeled. */
  accuracy: number | null;
  /** contradictions / executions: the share of the eval's traffic a human label contradicts. */
  contradictionRate: number | null;
  /** errors / executions. */
  errorRate: number | null;
}

export interface TimeRange {
  /** Inclusive lower bound on `executed_at` (ISO-8601). */
  from: string;
  /** Exclusive upper bound; open-ended when absent. */
  to?: string | undefined;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

const x = evalExecutions;

function verdictOn(verdict: 0 | 1, rating: "positive" | "negative"): SQL<number> {
  return sql<number>`sum(case when ${x.predictedResult} = ${sql.raw(String(verdict))} and ${feedback.rating} = ${sql.raw(`'${rating}'`)} then 1 else 0 end)`;
}

/** One aggregate query over the eval's executions in `range` (index on eval_id, executed_at). */
export async function computeExecutionMetrics(
  ctx: Ctx,
  ev: Pick<Eval, "id" | "agentId">,
  range: TimeRange,
): Promise<ExecutionMetrics> {
  const [row] = await ctx.db
    .select({
      executions: sql<number>`count(*)`,
      passes: sql<number>`sum(case when ${x.predictedResult} = 1 then 1 else 0 end)`,
      fails: sql<number>`sum(case when ${x.predictedResult} = 0 then 1 else 0 end)`,
      tp: verdictOn(1, "positive"),
      fn: verdictOn(0, "positive"),
      fp: verdictOn(1, "negative"),
      tn: verdictOn(0, "negative"),
    })
    .from(x)
    .leftJoin(feedback, and(eq(feedback.traceId, x.traceId), labelsOfAgent(ctx, ev.agentId)))
    .where(
      and(
        eq(x.workspaceId, ctx.workspaceId),
        eq(x.evalId, ev.id),
        gte(x.executedAt, range.from),
        range.to ? lt(x.executedAt, range.to) : undefined,
      ),
    );
  const n = (v: unknown) => Number(v ?? 0);
  const confusion = { tp: n(row?.tp), fn: n(row?.fn), fp: n(row?.fp), tn: n(row?.tn) };
  const executionCount = n(row?.executions);
  const passCount = n(row?.passes);
  const failCount = n(row?.fails);
  const errorCount = executionCount - passCount - failCount;
  const labeledCount = confusion.tp + confusion.fn + confusion.fp + confusion.tn;
  const contradictionCount = confusion.fp + confusion.fn;
  return {
    executionCount,
    passCount,
    failCount,
    errorCount,
    labeledCount,
    contradictionCount,
    confusion,
    accuracy: ratio(labeledCount - contradictionCount, labeledCount),
    contradictionRate: ratio(contradictionCount, executionCount),
    errorRate: ratio(errorCount, executionCount),
  };
}

/**
 * The eval's metrics over the last `windowDays` days (by `executed_at`), computed live.
 * @throws NOT_FOUND for another workspace's eval.
 */
export async function getEvalMetrics(
  ctx: Ctx,
  evalId: string,
  windowDays: number,
): Promise<{ evalId: string; windowDays: number; metrics: ExecutionMetrics }> {
  const ev = await getEvalOrThrow(ctx, evalId);
  const from = new Date(ctx.deps.clock.now().getTime() - windowDays * DAY_MS).toISOString();
  return { evalId, windowDays, metrics: await computeExecutionMetrics(ctx, ev, { from }) };
}
