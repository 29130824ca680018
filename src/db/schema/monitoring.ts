import { desc, relations, sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, ISO_NOW } from "./columns";
import { alertSeverity, alertType } from "./enums";
import { evals } from "./evals";
import { workspaces } from "./tenancy";

/** One row per eval per UTC day (`snapshot_date` is `YYYY-MM-DD`): the performance trend. */
export const performanceSnapshots = sqliteTable(
  "performance_snapshots",
  {
    id: text("id").primaryKey(),
    evalId: text("eval_id")
      .notNull()
      .references(() => evals.id, { onDelete: "cascade" }),
    snapshotDate: text("snapshot_date").notNull(),
    executionCount: integer("execution_count").notNull().default(0),
    passCount: integer("pass_count").notNull().default(0),
    failCount: integer("fail_count").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    contradictionCount: integer("contradiction_count").notNull().default(0),
    /** Executions on traces that carry a human label: the base of the agreement metrics. */
    labeledCount: integer("labeled_count").notNull().default(0),
    accuracy: real("accuracy"),
    precision: real("precision"),
    recall: real("recall"),
    cohenKappa: real("cohen_kappa"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("performance_snapshots_eval_id_snapshot_date_idx").on(t.evalId, t.snapshotDate)],
);

/** A threshold breach on an eval; open until resolved. */
export const performanceAlerts = sqliteTable(
  "performance_alerts",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    evalId: text("eval_id")
      .notNull()
      .references(() => evals.id, { onDelete: "cascade" }),
    alertType: text("alert_type", { enum: alertType }).notNull(),
    severity: text("severity", { enum: alertSeverity }).notNull(),
    currentValue: real("current_value"),
    thresholdValue: real("threshold_value"),
    message: text("message").notNull(),
    triggeredAt: text("triggered_at").notNull().default(ISO_NOW),
    acknowledgedAt: text("acknowledged_at"),
    acknowledgedBy: text("acknowledged_by"),
    resolvedAt: text("resolved_at"),
    resolvedBy: text("resolved_by"),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [
    // The monitor's dedupe lookup: is an alert of this type still open (resolved_at IS NULL) for this eval?
    index("performance_alerts_eval_id_alert_type_resolved_at_idx").on(t.evalId, t.alertType, t.resolvedAt),
    // At most one open alert per (eval, type), even when two monitor runs overlap: they upsert against this.
    uniqueIndex("performance_alerts_eval_id_alert_type_open_idx")
      .on(t.evalId, t.alertType)
      .where(sql`resolved_at is null`),
    index("performance_alerts_workspace_id_triggered_at_idx").on(t.workspaceId, desc(t.triggeredAt)),
  ],
);

export const performanceSnapshotsRelations = relations(performanceSnapshots, ({ one }) => ({
  eval: one(evals, { fields: [performanceSnapshots.evalId], references: [evals.id] }),
}));

export const performanceAlertsRelations = relations(performanceAlerts, ({ one }) => ({
  workspace: one(workspaces, { fields: [performanceAlerts.workspaceId], references: [workspaces.id] }),
  eval: one(evals, { fields: [performanceAlerts.evalId], references: [evals.id] }),
}));

export type PerformanceSnapshot = typeof performanceSnapshots.$inferSelect;
export type NewPerformanceSnapshot = typeof performanceSnapshots.$inferInsert;
export type PerformanceAlert = typeof performanceAlerts.$inferSelect;
export type NewPerformanceAlert = typeof performanceAlerts.$inferInsert;
