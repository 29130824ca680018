import { relations } from "drizzle-orm";
import { type AnySQLiteColumn, index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agents } from "./agents";
import { createdAt, ISO_NOW, updatedAt } from "./columns";
import { evalStatus, feedbackRating } from "./enums";
import { evalCandidates } from "./eval-candidates";
import { jobs } from "./jobs";
import { performanceAlerts, performanceSnapshots } from "./monitoring";
import { workspaces } from "./tenancy";
import { traces } from "./traces";

/**
 * A code eval: JavaScript exporting `evaluate(trace)`, versioned per agent. The metric columns
 * cache the latest agreement with human labels (the matrix) so lists do not recompute them.
 */
export const evals = sqliteTable(
  "evals",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    parentEvalId: text("parent_eval_id").references((): AnySQLiteColumn => evals.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    description: text("description"),
    code: text("code").notNull(),
    modelUsed: text("model_used"),
    status: text("status", { enum: evalStatus }).notNull().default("draft"),
    accuracy: real("accuracy"),
    precision: real("precision"),
    recall: real("recall"),
    f1Score: real("f1_score"),
    cohenKappa: real("cohen_kappa"),
    coverage: real("coverage"),
    falseFailureRate: real("false_failure_rate"),
    /** Counts keyed by cell, e.g. `{ tp, fp, tn, fn }`, as the matrix service writes them. */
    confusionMatrix: text("confusion_matrix", { mode: "json" }).$type<Record<string, number>>(),
    executionCount: integer("execution_count").notNull().default(0),
    contradictionCount: integer("contradiction_count").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    metricsUpdatedAt: text("metrics_updated_at"),
    testResults: text("test_results", { mode: "json" }).$type<Record<string, unknown>>(),
    autoExecuteEnabled: integer("auto_execute_enabled", { mode: "boolean" }).notNull().default(false),
    autoRefineEnabled: integer("auto_refine_enabled", { mode: "boolean" }).notNull().default(false),
    /** Overrides of the monitoring defaults (min accuracy, max contradiction/error rate, min executions). */
    monitoringThresholds: text("monitoring_thresholds", { mode: "json" }).$type<Record<string, number>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("evals_agent_id_version_idx").on(t.agentId, t.version),
    index("evals_workspace_id_created_at_id_idx").on(t.workspaceId, t.createdAt, t.id),
    index("evals_agent_id_status_idx").on(t.agentId, t.status),
    index("evals_parent_eval_id_idx").on(t.parentEvalId),
  ],
);

/**
 * The current production result of one eval on one trace: re-running replaces the row, so the
 * matrix never counts a pair twice.
 */
export const evalExecutions = sqliteTable(
  "eval_executions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    evalId: text("eval_id")
      .notNull()
      .references(() => evals.id, { onDelete: "cascade" }),
    traceId: text("trace_id")
      .notNull()
      .references(() => traces.id, { onDelete: "cascade" }),
    /** The eval's verdict (`pass`); null when the execution failed before returning one. */
    predictedResult: integer("predicted_result", { mode: "boolean" }),
    score: real("score"),
    reason: text("reason"),
    error: text("error"),
    /** The sandbox's failure class (timeout, memory, syntax, runtime...); null on success. */
    errorKind: text("error_kind"),
    consoleOutput: text("console_output"),
    executionTimeMs: integer("execution_time_ms"),
    // Jobs are pruned over time; the result stays.
    jobId: text("job_id").references(() => jobs.id, { onDelete: "set null" }),
    executedAt: text("executed_at").notNull().default(ISO_NOW),
    // The trace's current label AS IT COUNTS FOR THIS EVAL'S AGENT (the matrix rule: the label names the
    // agent, or names none and the trace is assigned to one of its versions), else null: the matrix stats
    // are then one index range scan per (eval, rating, verdict) instead of a join per labeled row. Every
    // writer of executions, labels and trace assignments rewrites them in the same batch
    // (src/matrix/execution-labels.ts).
    labelRating: text("label_rating", { enum: feedbackRating }),
    labelCreatedAt: text("label_created_at"),
  },
  (t) => [
    uniqueIndex("eval_executions_eval_id_trace_id_idx").on(t.evalId, t.traceId),
    index("eval_executions_eval_id_executed_at_id_idx").on(t.evalId, t.executedAt, t.id),
    // The matrix reads every (trace, eval) cell of an agent's labeled traces: trace-first so the evals of one
    // trace sit on one page, and covering (verdict, duration) so stats never touch the table. Also serves the
    // trace FK and per-trace lookups, so it replaces the plain trace_id index.
    index("eval_executions_trace_id_eval_id_predicted_result_execution_time_ms_idx").on(
      t.traceId,
      t.evalId,
      t.predictedResult,
      t.executionTimeMs,
    ),
    index("eval_executions_eval_id_predicted_result_idx").on(t.evalId, t.predictedResult),
    // The matrix stats: per (eval, rating, verdict) one range (the date filter narrows it further), with the
    // latency read from the index, never the table. Kept narrow: the scan reads every entry.
    index("eval_executions_eval_id_label_rating_predicted_result_idx").on(
      t.evalId,
      t.labelRating,
      t.predictedResult,
      t.labelCreatedAt,
      t.executionTimeMs,
    ),
    index("eval_executions_job_id_idx").on(t.jobId),
  ],
);

export const evalsRelations = relations(evals, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [evals.workspaceId], references: [workspaces.id] }),
  agent: one(agents, { fields: [evals.agentId], references: [agents.id] }),
  parentEval: one(evals, { fields: [evals.parentEvalId], references: [evals.id], relationName: "parentEval" }),
  childEvals: many(evals, { relationName: "parentEval" }),
  executions: many(evalExecutions),
  promotedCandidates: many(evalCandidates),
  performanceSnapshots: many(performanceSnapshots),
  performanceAlerts: many(performanceAlerts),
}));

export const evalExecutionsRelations = relations(evalExecutions, ({ one }) => ({
  workspace: one(workspaces, { fields: [evalExecutions.workspaceId], references: [workspaces.id] }),
  eval: one(evals, { fields: [evalExecutions.evalId], references: [evals.id] }),
  trace: one(traces, { fields: [evalExecutions.traceId], references: [traces.id] }),
  job: one(jobs, { fields: [evalExecutions.jobId], references: [jobs.id] }),
}));

export type Eval = typeof evals.$inferSelect;
export type NewEval = typeof evals.$inferInsert;
export type EvalExecution = typeof evalExecutions.$inferSelect;
export type NewEvalExecution = typeof evalExecutions.$inferInsert;
