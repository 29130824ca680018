import { and, desc, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type PerformanceAlert, performanceAlerts } from "../db/schema";
import type { AlertType } from "../db/schema/enums";
import { notFound } from "../errors";
import { getEvalOrThrow } from "../matrix";
import type { AlertDecision, AlertSpec } from "./alert-rules";

const alerts = performanceAlerts;

/** Who resolved an alert whose condition cleared by itself. */
export const MONITOR_ACTOR = "monitor";

/**
 * Raises (or refreshes) one alert. Upserts against the partial unique index (one open alert per eval
 * and type), so an open alert gets the new severity, value and message instead of a duplicate, even
 * when monitor runs overlap. Returns the id of the alert written: `id` when it is new.
 */
function upsertAlert(
  ctx: Ctx,
  id: string,
  evalId: string,
  a: AlertSpec,
  at: string,
  metadata: Record<string, unknown>,
) {
  const figures = {
    severity: a.severity,
    currentValue: a.currentValue,
    thresholdValue: a.thresholdValue,
    message: a.message,
    metadata,
  };
  return ctx.db
    .insert(alerts)
    .values({ id, workspaceId: ctx.workspaceId, evalId, alertType: a.type, triggeredAt: at, ...figures })
    .onConflictDoUpdate({
      target: [alerts.evalId, alerts.alertType],
      targetWhere: sql`resolved_at is null`,
      set: figures,
    })
    .returning({ id: alerts.id });
}

/** Resolves the eval's open alerts of the given types. */
function resolveCleared(ctx: Ctx, evalId: string, types: AlertType[], at: string) {
  return ctx.db
    .update(alerts)
    .set({ resolvedAt: at, resolvedBy: MONITOR_ACTOR })
    .where(
      and(
        eq(alerts.workspaceId, ctx.workspaceId),
        eq(alerts.evalId, evalId),
        inArray(alerts.alertType, types),
        isNull(alerts.resolvedAt),
      ),
    )
    .returning({ id: alerts.id });
}

/**
 * The writes that make an eval's open alerts match `decision`, unexecuted, for the monitor's batch.
 * `isNew(returnedId)` tells a newly raised alert from a refreshed one.
 */
export function alertWrites(ctx: Ctx, evalId: string, decision: AlertDecision, metadata: Record<string, unknown>) {
  const now = ctx.deps.clock.now();
  const at = now.toISOString();
  const newIds = new Set<string>();
  const raises = decision.raise.map((spec) => {
    const id = newId("alert", now.getTime());
    newIds.add(id);
    return upsertAlert(ctx, id, evalId, spec, at, metadata);
  });
  const clears = decision.clear.length === 0 ? [] : [resolveCleared(ctx, evalId, decision.clear, at)];
  return {
    raises,
    clears,
    isNew: (returnedId: string | undefined) => returnedId !== undefined && newIds.has(returnedId),
  };
}

export interface ListAlertsInput {
  status: "unresolved" | "all";
  /** The last alert of the previous page (newest first). */
  after?: { triggeredAt: string; id: string } | undefined;
  limit: number;
}

/**
 * The eval's alerts, newest first.
 * @throws NOT_FOUND for another workspace's eval.
 */
export async function listAlerts(
  ctx: Ctx,
  evalId: string,
  input: ListAlertsInput,
): Promise<{ items: PerformanceAlert[]; hasMore: boolean }> {
  await getEvalOrThrow(ctx, evalId);
  const after = input.after;
  const rows = await ctx.db
    .select()
    .from(alerts)
    .where(
      and(
        eq(alerts.workspaceId, ctx.workspaceId),
        eq(alerts.evalId, evalId),
        input.status === "unresolved" ? isNull(alerts.resolvedAt) : undefined,
        after
          ? or(
              lt(alerts.triggeredAt, after.triggeredAt),
              and(eq(alerts.triggeredAt, after.triggeredAt), lt(alerts.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(alerts.triggeredAt), desc(alerts.id))
    .limit(input.limit + 1);
  return { items: rows.slice(0, input.limit), hasMore: rows.length > input.limit };
}

/** The alert, only if it belongs to this eval and this workspace (alert → eval → workspace). */
async function getAlertOrThrow(ctx: Ctx, evalId: string, alertId: string): Promise<PerformanceAlert> {
  await getEvalOrThrow(ctx, evalId);
  const [row] = await ctx.db
    .select()
    .from(alerts)
    .where(and(eq(alerts.id, alertId), eq(alerts.evalId, evalId), eq(alerts.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    throw notFound("alert", alertId);
  }
  return row;
}

function actorName(ctx: Ctx): string {
  return ctx.actor.apiKeyId ?? ctx.actor.kind;
}

/**
 * Marks the alert seen; it stays open until resolved. Acknowledging twice keeps the first
 * acknowledgement. @throws NOT_FOUND unless the alert is this eval's, in this workspace.
 */
export async function acknowledgeAlert(ctx: Ctx, evalId: string, alertId: string): Promise<PerformanceAlert> {
  const alert = await getAlertOrThrow(ctx, evalId, alertId);
  const [updated] = await ctx.db
    .update(alerts)
    .set({ acknowledgedAt: ctx.deps.clock.now().toISOString(), acknowledgedBy: actorName(ctx) })
    .where(and(eq(alerts.id, alert.id), isNull(alerts.acknowledgedAt)))
    .returning();
  return updated ?? (await getAlertOrThrow(ctx, evalId, alertId));
}

/**
 * Closes the alert; the monitor may open a new one if the condition persists. Resolving twice keeps
 * the first resolution. @throws NOT_FOUND unless the alert is this eval's, in this workspace.
 */
export async function resolveAlert(ctx: Ctx, evalId: string, alertId: string): Promise<PerformanceAlert> {
  const alert = await getAlertOrThrow(ctx, evalId, alertId);
  const [updated] = await ctx.db
    .update(alerts)
    .set({ resolvedAt: ctx.deps.clock.now().toISOString(), resolvedBy: actorName(ctx) })
    .where(and(eq(alerts.id, alert.id), isNull(alerts.resolvedAt)))
    .returning();
  return updated ?? (await getAlertOrThrow(ctx, evalId, alertId));
}
