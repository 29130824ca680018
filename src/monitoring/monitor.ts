import { and, eq, inArray, or } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Ctx } from "../context";
import { type Eval, evals } from "../db/schema";
import { storeEvalMetrics } from "../matrix";
import { decideAlerts } from "./alert-rules";
import { alertWrites } from "./alerts";
import { computeExecutionMetrics, DAY_MS } from "./metrics";
import { dayRange, upsertSnapshot, utcDay } from "./snapshots";
import { resolveThresholds } from "./thresholds";

export const DEFAULT_WINDOW_DAYS = 7;

export interface MonitorInput {
  /** Monitor these evals of the workspace (any status); default: its active or auto-execute evals. */
  evalIds?: string[] | undefined;
  windowDays: number;
  /** Called before each eval: the job checks cancellation here. */
  beforeEval?: () => Promise<void>;
  /** Called after each eval: the job reports progress here. */
  afterEval?: (done: number, total: number) => Promise<void>;
}

export interface MonitorResult {
  evalsChecked: number;
  snapshotsWritten: number;
  alertsRaised: number;
  alertsResolved: number;
}

type MonitoredEval = Pick<Eval, "id" | "agentId" | "createdAt" | "monitoringThresholds">;

function listMonitoredEvals(ctx: Ctx, evalIds: string[] | undefined): Promise<MonitoredEval[]> {
  const which = evalIds
    ? inArray(evals.id, evalIds)
    : or(eq(evals.status, "active"), eq(evals.autoExecuteEnabled, true));
  return ctx.db
    .select({
      id: evals.id,
      agentId: evals.agentId,
      createdAt: evals.createdAt,
      monitoringThresholds: evals.monitoringThresholds,
    })
    .from(evals)
    .where(and(eq(evals.workspaceId, ctx.workspaceId), which))
    .orderBy(evals.id);
}

/**
 * One eval: window metrics → alerts raised, refreshed or resolved; today's snapshot (and yesterday's,
 * so executions after the day's last run still land in it) → one batch; then the eval's cached
 * metrics. Every write is an upsert or a guarded update, so running it twice changes nothing.
 */
async function monitorEval(
  ctx: Ctx,
  ev: MonitoredEval,
  windowDays: number,
): Promise<Omit<MonitorResult, "evalsChecked">> {
  const now = ctx.deps.clock.now();
  const today = utcDay(now);
  const yesterday = utcDay(new Date(now.getTime() - DAY_MS));
  const days = ev.createdAt < dayRange(today).from ? [yesterday, today] : [today];
  const from = new Date(now.getTime() - windowDays * DAY_MS).toISOString();
  const [window, daily] = await Promise.all([
    computeExecutionMetrics(ctx, ev, { from }),
    Promise.all(days.map(async (day) => ({ day, metrics: await computeExecutionMetrics(ctx, ev, dayRange(day)) }))),
  ]);
  const decision = decideAlerts(window, resolveThresholds(ev.monitoringThresholds), windowDays);
  const metadata = {
    window_days: windowDays,
    execution_count: window.executionCount,
    labeled_count: window.labeledCount,
  };
  const { raises, clears, isNew } = alertWrites(ctx, ev.id, decision, metadata);
  const snapshots = daily.map(({ day, metrics }) => upsertSnapshot(ctx, ev.id, day, metrics));
  const [first, ...rest] = [...snapshots, ...raises, ...clears] as BatchItem<"sqlite">[];
  const results = first ? await ctx.db.batch([first, ...rest]) : [];
  const raised = results.slice(snapshots.length, snapshots.length + raises.length) as { id: string }[][];
  const resolved = results.slice(snapshots.length + raises.length) as unknown[][];
  await storeEvalMetrics(ctx, ev);
  return {
    snapshotsWritten: snapshots.length,
    alertsRaised: raised.filter(([row]) => isNew(row?.id)).length,
    alertsResolved: resolved.reduce((sum, rows) => sum + rows.length, 0),
  };
}

/** The monitor job's work for one workspace. Idempotent: overlapping or repeated runs are harmless. */
export async function runMonitor(ctx: Ctx, input: MonitorInput): Promise<MonitorResult> {
  const targets = await listMonitoredEvals(ctx, input.evalIds);
  const total: MonitorResult = { evalsChecked: 0, snapshotsWritten: 0, alertsRaised: 0, alertsResolved: 0 };
  for (const ev of targets) {
    await input.beforeEval?.();
    const r = await monitorEval(ctx, ev, input.windowDays);
    total.evalsChecked += 1;
    total.snapshotsWritten += r.snapshotsWritten;
    total.alertsRaised += r.alertsRaised;
    total.alertsResolved += r.alertsResolved;
    await input.afterEval?.(total.evalsChecked, targets.length);
  }
  return total;
}
