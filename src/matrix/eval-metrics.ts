import { and, count, eq, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { type Eval, evalExecutions, evals } from "../db/schema";
import { getEvalOrThrow } from "./internal";
import { computeMatrixStats, type EvalStats } from "./stats";

/**
 * Recomputes and stores an eval's agreement metrics (over its agent's labeled traces, as the
 * unfiltered matrix shows them) and its execution/error counts (over all its current executions), so
 * eval lists need no aggregation. Call it after executions or labels change; the monitor job calls it.
 * @throws NOT_FOUND for another workspace's eval.
 */
export async function refreshEvalMetrics(ctx: Ctx, evalId: string): Promise<EvalStats> {
  return storeEvalMetrics(ctx, await getEvalOrThrow(ctx, evalId));
}

/** {@link refreshEvalMetrics} for an eval already loaded; writes nothing if it was deleted meanwhile. */
export async function storeEvalMetrics(ctx: Ctx, ev: Pick<Eval, "id" | "agentId">): Promise<EvalStats> {
  const [
    {
      evals: [stats],
    },
    [counts],
  ] = await Promise.all([
    computeMatrixStats(ctx, ev.agentId, [ev.id], { mode: "all" }),
    ctx.db
      .select({ executions: count(), errors: sql<number>`count(*) - count(${evalExecutions.predictedResult})` })
      .from(evalExecutions)
      .where(and(eq(evalExecutions.evalId, ev.id), eq(evalExecutions.workspaceId, ctx.workspaceId))),
  ]);
  if (!stats) {
    throw new Error("computeMatrixStats returned no stats for the one eval it was given");
  }
  await ctx.db
    .update(evals)
    .set({
      accuracy: stats.accuracy,
      precision: stats.precision,
      recall: stats.recall,
      f1Score: stats.f1,
      cohenKappa: stats.cohenKappa,
      coverage: stats.coverage,
      falseFailureRate: stats.falseFailureRate,
      confusionMatrix: { ...stats.confusion },
      contradictionCount: stats.contradictionCount,
      executionCount: counts?.executions ?? 0,
      errorCount: Number(counts?.errors ?? 0),
      metricsUpdatedAt: ctx.deps.clock.now().toISOString(),
    })
    .where(and(eq(evals.id, ev.id), eq(evals.workspaceId, ctx.workspaceId)));
  return stats;
}
