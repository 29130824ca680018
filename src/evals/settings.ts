import { and, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import { type Eval, evals } from "../db/schema";
import { notFound } from "../errors";
import { getEvalOrThrow } from "./internal";

export interface MonitoringThresholds {
  /** Alert when accuracy falls below this (0..1). */
  min_accuracy: number;
  /** Alert when the contradiction rate rises above this (0..1). */
  max_contradiction_rate: number;
  /** Alert when the error rate rises above this (0..1). */
  max_error_rate: number;
  /** Fewer executions than this in the window is "insufficient data" (1..100,000). */
  min_executions: number;
}

/** What monitoring uses when an eval stores no thresholds (the matrix/monitoring brief's defaults). */
export const DEFAULT_MONITORING_THRESHOLDS: MonitoringThresholds = {
  min_accuracy: 0.8,
  max_contradiction_rate: 0.15,
  max_error_rate: 0.1,
  min_executions: 20,
};

export interface UpdateEvalSettingsInput {
  autoExecuteEnabled?: boolean | undefined;
  autoRefineEnabled?: boolean | undefined;
  /** Keys given replace the stored (or default) values; null goes back to the defaults. */
  monitoringThresholds?: Partial<MonitoringThresholds> | null | undefined;
}

/**
 * Stores the thresholds as one complete object (defaults, then what was stored, then the change), so
 * a reader never has to merge per key: the column is either null (defaults) or whole.
 */
function mergeThresholds(
  stored: Record<string, number> | null,
  change: Partial<MonitoringThresholds> | null | undefined,
): Record<string, number> | null | undefined {
  if (change === undefined || change === null) {
    return change;
  }
  return { ...DEFAULT_MONITORING_THRESHOLDS, ...stored, ...change };
}

/** Turns auto-execution and auto-refinement on or off and sets the monitoring thresholds. */
export async function updateEvalSettings(ctx: Ctx, evalId: string, input: UpdateEvalSettingsInput): Promise<Eval> {
  const current = await getEvalOrThrow(ctx, evalId);
  const [row] = await ctx.db
    .update(evals)
    .set({
      autoExecuteEnabled: input.autoExecuteEnabled,
      autoRefineEnabled: input.autoRefineEnabled,
      monitoringThresholds: mergeThresholds(current.monitoringThresholds, input.monitoringThresholds),
      updatedAt: ctx.deps.clock.now().toISOString(),
    })
    .where(and(eq(evals.id, evalId), eq(evals.workspaceId, ctx.workspaceId)))
    .returning();
  if (!row) {
    throw notFound("eval", evalId);
  }
  return row;
}
