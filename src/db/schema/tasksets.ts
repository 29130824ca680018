import { relations } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agents, agentVersions } from "./agents";
import { createdAt, updatedAt } from "./columns";
import { modelProvider, tasksetRunResultStatus, tasksetRunStatus, tasksetStatus, tasksetTaskSource } from "./enums";
import { gepaRunTasks } from "./gepa";
import { jobs } from "./jobs";
import { workspaces } from "./tenancy";
import { traces } from "./traces";

/** A named, deduplicated set of tasks an agent version can be run against. */
export const tasksets = sqliteTable(
  "tasksets",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    status: text("status", { enum: tasksetStatus }).notNull().default("active"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("tasksets_workspace_id_status_idx").on(t.workspaceId, t.status),
    index("tasksets_agent_id_created_at_idx").on(t.agentId, t.createdAt),
  ],
);

/** A task; `content_hash` (SHA-256 of the user message) keeps a taskset free of duplicates. */
export const tasksetTasks = sqliteTable(
  "taskset_tasks",
  {
    id: text("id").primaryKey(),
    tasksetId: text("taskset_id")
      .notNull()
      .references(() => tasksets.id, { onDelete: "cascade" }),
    userMessage: text("user_message").notNull(),
    expectedOutput: text("expected_output"),
    source: text("source", { enum: tasksetTaskSource }).notNull().default("manual"),
    // A task keeps its text when the trace it was taken from is deleted.
    sourceTraceId: text("source_trace_id").references(() => traces.id, { onDelete: "set null" }),
    contentHash: text("content_hash").notNull(),
    /** Values for the prompt's `{{variable}}` placeholders, and any task context. */
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("taskset_tasks_taskset_id_content_hash_idx").on(t.tasksetId, t.contentHash),
    index("taskset_tasks_source_trace_id_idx").on(t.sourceTraceId),
  ],
);

/** One run of a taskset against an agent version; the job drives it, this row keeps the outcome. */
export const tasksetRuns = sqliteTable(
  "taskset_runs",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    tasksetId: text("taskset_id")
      .notNull()
      .references(() => tasksets.id, { onDelete: "cascade" }),
    // A run's scores stay readable after the version they measured is removed.
    agentVersionId: text("agent_version_id").references(() => agentVersions.id, { onDelete: "set null" }),
    jobId: text("job_id").references(() => jobs.id, { onDelete: "set null" }),
    status: text("status", { enum: tasksetRunStatus }).notNull().default("queued"),
    taskCount: integer("task_count").notNull().default(0),
    completedCount: integer("completed_count").notNull().default(0),
    failedCount: integer("failed_count").notNull().default(0),
    averageScore: real("average_score"),
    averageExecutionTimeMs: real("average_execution_time_ms"),
    modelProvider: text("model_provider", { enum: modelProvider }),
    modelId: text("model_id"),
    /** Run options: parallelism, per-task timeout, temperature... */
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>(),
    error: text("error"),
    createdAt: createdAt(),
    startedAt: text("started_at"),
    completedAt: text("completed_at"),
  },
  (t) => [
    index("taskset_runs_workspace_id_created_at_id_idx").on(t.workspaceId, t.createdAt, t.id),
    index("taskset_runs_taskset_id_created_at_idx").on(t.tasksetId, t.createdAt),
    index("taskset_runs_agent_version_id_idx").on(t.agentVersionId),
    index("taskset_runs_job_id_idx").on(t.jobId),
  ],
);

/** The outcome of one task in one run. */
export const tasksetRunResults = sqliteTable(
  "taskset_run_results",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => tasksetRuns.id, { onDelete: "cascade" }),
    taskId: text("task_id")
      .notNull()
      .references(() => tasksetTasks.id, { onDelete: "cascade" }),
    status: text("status", { enum: tasksetRunResultStatus }).notNull().default("pending"),
    response: text("response"),
    score: real("score"),
    reason: text("reason"),
    /** The trace the run captured for this task. */
    traceId: text("trace_id").references(() => traces.id, { onDelete: "set null" }),
    executionTimeMs: integer("execution_time_ms"),
    error: text("error"),
    createdAt: createdAt(),
    completedAt: text("completed_at"),
  },
  (t) => [
    uniqueIndex("taskset_run_results_run_id_task_id_idx").on(t.runId, t.taskId),
    index("taskset_run_results_task_id_idx").on(t.taskId),
    index("taskset_run_results_trace_id_idx").on(t.traceId),
  ],
);

export const tasksetsRelations = relations(tasksets, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [tasksets.workspaceId], references: [workspaces.id] }),
  agent: one(agents, { fields: [tasksets.agentId], references: [agents.id] }),
  tasks: many(tasksetTasks),
  runs: many(tasksetRuns),
}));

export const tasksetTasksRelations = relations(tasksetTasks, ({ one, many }) => ({
  taskset: one(tasksets, { fields: [tasksetTasks.tasksetId], references: [tasksets.id] }),
  sourceTrace: one(traces, { fields: [tasksetTasks.sourceTraceId], references: [traces.id] }),
  runResults: many(tasksetRunResults),
  gepaRunTasks: many(gepaRunTasks),
}));

export const tasksetRunsRelations = relations(tasksetRuns, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [tasksetRuns.workspaceId], references: [workspaces.id] }),
  taskset: one(tasksets, { fields: [tasksetRuns.tasksetId], references: [tasksets.id] }),
  agentVersion: one(agentVersions, { fields: [tasksetRuns.agentVersionId], references: [agentVersions.id] }),
  job: one(jobs, { fields: [tasksetRuns.jobId], references: [jobs.id] }),
  results: many(tasksetRunResults),
}));

export const tasksetRunResultsRelations = relations(tasksetRunResults, ({ one }) => ({
  run: one(tasksetRuns, { fields: [tasksetRunResults.runId], references: [tasksetRuns.id] }),
  task: one(tasksetTasks, { fields: [tasksetRunResults.taskId], references: [tasksetTasks.id] }),
  trace: one(traces, { fields: [tasksetRunResults.traceId], references: [traces.id] }),
}));

export type Taskset = typeof tasksets.$inferSelect;
export type NewTaskset = typeof tasksets.$inferInsert;
export type TasksetTask = typeof tasksetTasks.$inferSelect;
export type NewTasksetTask = typeof tasksetTasks.$inferInsert;
export type TasksetRun = typeof tasksetRuns.$inferSelect;
export type NewTasksetRun = typeof tasksetRuns.$inferInsert;
export type TasksetRunResult = typeof tasksetRunResults.$inferSelect;
export type NewTasksetRunResult = typeof tasksetRunResults.$inferInsert;
