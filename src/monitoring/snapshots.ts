import { and, asc, eq, gte } from "drizzle-orm";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type PerformanceSnapshot, performanceSnapshots } from "../db/schema";
import { computeAgreement, getEvalOrThrow } from "../matrix";
import { DAY_MS, type ExecutionMetrics } from "./metrics";

/** `YYYY-MM-DD` of the UTC day containing `at`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The half-open range of executions that belong to UTC day `day`. */
export function dayRange(day: string): { from: string; to: string } {
  const start = new Date(`${day}T00:00:00.000Z`);
  return { from: start.toISOString(), to: new Date(start.getTime() + DAY_MS).toISOString() };
}

/**
 * Writes (or rewrites) the eval's snapshot of `day`: UNIQUE (eval, date) makes a second run of the same
 * day replace the figures instead of adding a row. Returned unexecuted, for the monitor's batch.
 */
export function upsertSnapshot(ctx: Ctx, evalId: string, day: string, m: ExecutionMetrics) {
  const agreement = computeAgreement(m.confusion);
  const figures = {
    executionCount: m.executionCount,
    passCount: m.passCount,
    failCount: m.failCount,
    errorCount: m.errorCount,
    contradictionCount: m.contradictionCount,
    labeledCount: m.labeledCount,
    accuracy: m.accuracy,
    precision: agreement.precision,
    recall: agreement.recall,
    cohenKappa: agreement.cohenKappa,
  };
  const now = ctx.deps.clock.now();
  return ctx.db
    .insert(performanceSnapshots)
    .values({
      id: newId("snapshot", now.getTime()),
      evalId,
      snapshotDate: day,
      ...figures,
      createdAt: now.toISOString(),
    })
    .onConflictDoUpdate({ target: [performanceSnapshots.evalId, performanceSnapshots.snapshotDate], set: figures });
}

/**
 * The daily snapshots of the last `days` UTC days (today included), oldest first. Days the monitor
 * did not run are absent.
 * @throws NOT_FOUND for another workspace's eval.
 */
export async function getPerformanceTrend(ctx: Ctx, evalId: string, days: number): Promise<PerformanceSnapshot[]> {
  await getEvalOrThrow(ctx, evalId);
  const first = utcDay(new Date(ctx.deps.clock.now().getTime() - (days - 1) * DAY_MS));
  return ctx.db
    .select()
    .from(performanceSnapshots)
    .where(and(eq(performanceSnapshots.evalId, evalId), gte(performanceSnapshots.snapshotDate, first)))
    .orderBy(asc(performanceSnapshots.snapshotDate));
}
