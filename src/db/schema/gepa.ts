import { relations } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agents, agentVersions } from "./agents";
import { createdAt } from "./columns";
import { gepaRunStatus, gepaSplit } from "./enums";
import { evals } from "./evals";
import { jobs } from "./jobs";
import { tasksets, tasksetTasks } from "./tasksets";
import { workspaces } from "./tenancy";

/**
 * One GEPA prompt optimisation: candidate prompts are scored on taskset tasks by a validated eval,
 * and the best one becomes a new candidate agent version (`optimized_version_id`).
 */
export const gepaRuns = sqliteTable(
  "gepa_runs",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    // The run's record (scores, best prompt) outlives the eval, taskset and job it used.
    evalId: text("eval_id").references(() => evals.id, { onDelete: "set null" }),
    tasksetId: text("taskset_id").references(() => tasksets.id, { onDelete: "set null" }),
    jobId: text("job_id").references(() => jobs.id, { onDelete: "set null" }),
    seedPrompt: text("seed_prompt"),
    testCaseCount: integer("test_case_count").notNull().default(0),
    maxMetricCalls: integer("max_metric_calls").notNull().default(50),
    parallelism: integer("parallelism").notNull().default(5),
    status: text("status", { enum: gepaRunStatus }).notNull().default("pending"),
    progressMetricCalls: integer("progress_metric_calls").notNull().default(0),
    bestPrompt: text("best_prompt"),
    bestScore: real("best_score"),
    totalCandidates: integer("total_candidates").notNull().default(0),
    error: text("error"),
    optimizedVersionId: text("optimized_version_id").references(() => agentVersions.id, { onDelete: "set null" }),
    trainSplit: real("train_split").notNull().default(0.7),
    valSplit: real("val_split").notNull().default(0.3),
    /** Seed of the deterministic train/val split, so a run can be reproduced. */
    randomSeed: integer("random_seed"),
    createdAt: createdAt(),
    startedAt: text("started_at"),
    completedAt: text("completed_at"),
  },
  (t) => [
    index("gepa_runs_workspace_id_created_at_id_idx").on(t.workspaceId, t.createdAt, t.id),
    index("gepa_runs_agent_id_created_at_idx").on(t.agentId, t.createdAt),
    index("gepa_runs_eval_id_idx").on(t.evalId),
    index("gepa_runs_taskset_id_idx").on(t.tasksetId),
    index("gepa_runs_job_id_idx").on(t.jobId),
    index("gepa_runs_optimized_version_id_idx").on(t.optimizedVersionId),
  ],
);

/** Which split each task of a run belongs to, and its score there. */
export const gepaRunTasks = sqliteTable(
  "gepa_run_tasks",
  {
    id: text("id").primaryKey(),
    runId: text("run_id")
      .notNull()
      .references(() => gepaRuns.id, { onDelete: "cascade" }),
    taskId: text("task_id")
      .notNull()
      .references(() => tasksetTasks.id, { onDelete: "cascade" }),
    split: text("split", { enum: gepaSplit }).notNull(),
    score: real("score"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("gepa_run_tasks_run_id_task_id_idx").on(t.runId, t.taskId),
    index("gepa_run_tasks_task_id_idx").on(t.taskId),
  ],
);

export const gepaRunsRelations = relations(gepaRuns, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [gepaRuns.workspaceId], references: [workspaces.id] }),
  agent: one(agents, { fields: [gepaRuns.agentId], references: [agents.id] }),
  eval: one(evals, { fields: [gepaRuns.evalId], references: [evals.id] }),
  taskset: one(tasksets, { fields: [gepaRuns.tasksetId], references: [tasksets.id] }),
  job: one(jobs, { fields: [gepaRuns.jobId], references: [jobs.id] }),
  optimizedVersion: one(agentVersions, { fields: [gepaRuns.optimizedVersionId], references: [agentVersions.id] }),
  tasks: many(gepaRunTasks),
}));

export const gepaRunTasksRelations = relations(gepaRunTasks, ({ one }) => ({
  run: one(gepaRuns, { fields: [gepaRunTasks.runId], references: [gepaRuns.id] }),
  task: one(tasksetTasks, { fields: [gepaRunTasks.taskId], references: [tasksetTasks.id] }),
}));

export type GepaRun = typeof gepaRuns.$inferSelect;
export type NewGepaRun = typeof gepaRuns.$inferInsert;
export type GepaRunTask = typeof gepaRunTasks.$inferSelect;
export type NewGepaRunTask = typeof gepaRunTasks.$inferInsert;
