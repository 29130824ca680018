import { desc, relations } from "drizzle-orm";
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { agents } from "./agents";
import { createdAt, updatedAt } from "./columns";
import { evalCandidateSource, evalCandidateStatus } from "./enums";
import { evals } from "./evals";
import { jobs } from "./jobs";
import { workspaces } from "./tenancy";
import { traces } from "./traces";

/**
 * A generated eval not yet trusted: built on the training split of the labels, judged on the
 * held-out split. Only a candidate that clears the agreement gate is promoted to `evals`.
 */
export const evalCandidates = sqliteTable(
  "eval_candidates",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    code: text("code").notNull(),
    /** What the candidate focuses on (correctness, safety, a mined rule...), free text. */
    variation: text("variation"),
    status: text("status", { enum: evalCandidateStatus }).notNull().default("candidate"),
    source: text("source", { enum: evalCandidateSource }).notNull(),
    trainCount: integer("train_count").notNull().default(0),
    holdoutCount: integer("holdout_count").notNull().default(0),
    trainAccuracy: real("train_accuracy"),
    holdoutAccuracy: real("holdout_accuracy"),
    // Agreement metrics below are measured on the held-out split.
    precision: real("precision"),
    recall: real("recall"),
    f1Score: real("f1_score"),
    cohenKappa: real("cohen_kappa"),
    confusionMatrix: text("confusion_matrix", { mode: "json" }).$type<Record<string, number>>(),
    /** The generation job that produced the candidate; jobs are pruned, candidates stay. */
    jobId: text("job_id").references(() => jobs.id, { onDelete: "set null" }),
    /** The eval this candidate became when promoted. */
    evalId: text("eval_id").references(() => evals.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("eval_candidates_workspace_id_created_at_id_idx").on(t.workspaceId, t.createdAt, t.id),
    index("eval_candidates_agent_id_status_idx").on(t.agentId, t.status),
    index("eval_candidates_job_id_idx").on(t.jobId),
    index("eval_candidates_eval_id_idx").on(t.evalId),
  ],
);

/** One run of a candidate on one labelled trace while it is being judged. */
export const evalCandidateExecutions = sqliteTable(
  "eval_candidate_executions",
  {
    id: text("id").primaryKey(),
    evalCandidateId: text("eval_candidate_id")
      .notNull()
      .references(() => evalCandidates.id, { onDelete: "cascade" }),
    traceId: text("trace_id")
      .notNull()
      .references(() => traces.id, { onDelete: "cascade" }),
    score: real("score"),
    feedback: text("feedback"),
    success: integer("success", { mode: "boolean" }),
    error: text("error"),
    durationMs: integer("duration_ms"),
    llmCalls: integer("llm_calls"),
    llmCostUsd: real("llm_cost_usd"),
    cacheHits: integer("cache_hits"),
    createdAt: createdAt(),
  },
  (t) => [
    index("eval_candidate_executions_eval_candidate_id_idx").on(t.evalCandidateId),
    index("eval_candidate_executions_trace_id_idx").on(t.traceId),
    index("eval_candidate_executions_created_at_idx").on(desc(t.createdAt)),
    index("eval_candidate_executions_success_idx").on(t.success),
  ],
);

export const evalCandidatesRelations = relations(evalCandidates, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [evalCandidates.workspaceId], references: [workspaces.id] }),
  agent: one(agents, { fields: [evalCandidates.agentId], references: [agents.id] }),
  job: one(jobs, { fields: [evalCandidates.jobId], references: [jobs.id] }),
  eval: one(evals, { fields: [evalCandidates.evalId], references: [evals.id] }),
  executions: many(evalCandidateExecutions),
}));

export const evalCandidateExecutionsRelations = relations(evalCandidateExecutions, ({ one }) => ({
  candidate: one(evalCandidates, {
    fields: [evalCandidateExecutions.evalCandidateId],
    references: [evalCandidates.id],
  }),
  trace: one(traces, { fields: [evalCandidateExecutions.traceId], references: [traces.id] }),
}));

export type EvalCandidate = typeof evalCandidates.$inferSelect;
export type NewEvalCandidate = typeof evalCandidates.$inferInsert;
export type EvalCandidateExecution = typeof evalCandidateExecutions.$inferSelect;
export type NewEvalCandidateExecution = typeof evalCandidateExecutions.$inferInsert;
