import { z } from "@hono/zod-openapi";
import { alertSeverity, alertType } from "../db/schema/enums";
import { validationError } from "../errors";
import type { ExecutionMetrics, PerformanceAlert, PerformanceSnapshot } from "../monitoring";
import { IdParam } from "./api-keys.schemas";
import { CursorPage, CursorQuery, decodeCursor, encodeCursor } from "./pagination";

export const EvalIdParams = z.object({ id: IdParam });
export const AlertParams = z.object({
  id: IdParam,
  alertId: IdParam.openapi({ param: { name: "alertId", in: "path" } }),
});

const Days = (name: string, fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(fallback)
    .openapi({ description: `${name}, in days (1–365)` });

export const MetricsQuery = z.object({ window: Days("Window ending now", 7) });
export const TrendQuery = z.object({ days: Days("UTC days back from today, today included", 30) });
export const AlertsQuery = z.object({
  status: z.enum(["unresolved", "all"]).default("unresolved"),
  ...CursorQuery,
});

const Rate = z.number().min(0).max(1).nullable();
const Count = z.number().int().min(0);

export const EvalMetricsResponse = z
  .object({
    eval_id: z.string(),
    window_days: z.number().int(),
    metrics: z.object({
      execution_count: Count,
      pass_count: Count,
      fail_count: Count,
      error_count: Count.openapi({ description: "Executions without a verdict" }),
      contradiction_count: Count,
      labeled_count: Count.openapi({ description: "Verdicts on positive/negative labels: the base of accuracy" }),
      accuracy: Rate,
      contradiction_rate: Rate.openapi({ description: "contradiction_count / execution_count" }),
      error_rate: Rate.openapi({ description: "error_count / execution_count" }),
    }),
  })
  .openapi("EvalMetrics");

export const SnapshotSchema = z
  .object({
    date: z.string().openapi({ description: "UTC day, YYYY-MM-DD" }),
    accuracy: Rate,
    precision: Rate,
    recall: Rate,
    cohen_kappa: z.number().min(-1).max(1).nullable(),
    execution_count: Count,
    labeled_count: Count,
    contradiction_count: Count,
    error_count: Count,
    pass_count: Count,
    fail_count: Count,
  })
  .openapi("PerformanceSnapshot");

export const PerformanceTrendResponse = z
  .object({ eval_id: z.string(), days: z.number().int(), snapshots: z.array(SnapshotSchema) })
  .openapi("PerformanceTrend");

export const AlertSchema = z
  .object({
    id: z.string(),
    eval_id: z.string(),
    alert_type: z.enum(alertType),
    severity: z.enum(alertSeverity),
    current_value: z.number().nullable(),
    threshold_value: z.number().nullable(),
    message: z.string(),
    triggered_at: z.string(),
    acknowledged_at: z.string().nullable(),
    acknowledged_by: z.string().nullable(),
    resolved_at: z.string().nullable(),
    resolved_by: z.string().nullable().openapi({ description: "API key id, `local`, or `monitor` (auto-resolved)" }),
    metadata: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi("PerformanceAlert");

export const AlertPage = CursorPage("alerts", AlertSchema).openapi("PerformanceAlertPage");

export function toEvalMetricsJson(r: {
  evalId: string;
  windowDays: number;
  metrics: ExecutionMetrics;
}): z.infer<typeof EvalMetricsResponse> {
  const m = r.metrics;
  return {
    eval_id: r.evalId,
    window_days: r.windowDays,
    metrics: {
      execution_count: m.executionCount,
      pass_count: m.passCount,
      fail_count: m.failCount,
      error_count: m.errorCount,
      contradiction_count: m.contradictionCount,
      labeled_count: m.labeledCount,
      accuracy: m.accuracy,
      contradiction_rate: m.contradictionRate,
      error_rate: m.errorRate,
    },
  };
}

export function toTrendJson(evalId: string, days: number, rows: PerformanceSnapshot[]) {
  return {
    eval_id: evalId,
    days,
    snapshots: rows.map((s) => ({
      date: s.snapshotDate,
      accuracy: s.accuracy,
      precision: s.precision,
      recall: s.recall,
      cohen_kappa: s.cohenKappa,
      execution_count: s.executionCount,
      labeled_count: s.labeledCount,
      contradiction_count: s.contradictionCount,
      error_count: s.errorCount,
      pass_count: s.passCount,
      fail_count: s.failCount,
    })),
  } satisfies z.infer<typeof PerformanceTrendResponse>;
}

export function toAlertJson(a: PerformanceAlert): z.infer<typeof AlertSchema> {
  return {
    id: a.id,
    eval_id: a.evalId,
    alert_type: a.alertType,
    severity: a.severity,
    current_value: a.currentValue,
    threshold_value: a.thresholdValue,
    message: a.message,
    triggered_at: a.triggeredAt,
    acknowledged_at: a.acknowledgedAt,
    acknowledged_by: a.acknowledgedBy,
    resolved_at: a.resolvedAt,
    resolved_by: a.resolvedBy,
    metadata: a.metadata,
  };
}

export function decodeAlertCursor(cursor: string | undefined): { triggeredAt: string; id: string } | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const { triggered_at, id } = decodeCursor(cursor, ["triggered_at", "id"]);
  if (typeof triggered_at !== "string" || typeof id !== "string") {
    throw validationError("Invalid cursor", [{ path: "cursor", message: "not a cursor this API issued" }]);
  }
  return { triggeredAt: triggered_at, id };
}

export function toAlertPageJson(page: { items: PerformanceAlert[]; hasMore: boolean }): z.infer<typeof AlertPage> {
  const last = page.items.at(-1);
  return {
    alerts: page.items.map(toAlertJson),
    next_cursor: page.hasMore && last ? encodeCursor({ triggered_at: last.triggeredAt, id: last.id }) : null,
    has_more: page.hasMore,
  };
}
