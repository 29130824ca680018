import { desc, sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";
import { jobErrorCategory, jobLogLevel, jobStatus, jobType } from "./enums";
import { workspaces } from "./tenancy";

/**
 * The jobs table is the truth; a queue only carries job ids. A runner owns a job while
 * `lease_expires_at` is in the future; the sweeper re-queues jobs whose lease ran out.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    type: text("type", { enum: jobType }).notNull(),
    status: text("status", { enum: jobStatus }).notNull().default("queued"),
    progress: integer("progress").notNull().default(0),
    /** The handler's input, validated by the job type's payload schema. */
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
    error: text("error"),
    /** Times a runner claimed the job: the attempt number of the run in progress. */
    attempts: integer("attempts").notNull().default(0),
    /** Automatic retries used from `max_retries`; a manual retry starts a fresh budget. */
    retryCount: integer("retry_count").notNull().default(0),
    maxRetries: integer("max_retries").notNull().default(5),
    errorCategory: text("error_category", { enum: jobErrorCategory }),
    lastErrorAt: text("last_error_at"),
    nextRetryAt: text("next_retry_at"),
    priority: integer("priority").notNull().default(0),
    agentId: text("agent_id"),
    agentVersionId: text("agent_version_id"),
    triggerEvent: text("trigger_event"),
    triggerThreshold: text("trigger_threshold"),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: text("lease_expires_at"),
    cancelRequestedAt: text("cancel_requested_at"),
    createdAt: createdAt(),
    startedAt: text("started_at"),
    completedAt: text("completed_at"),
  },
  (t) => [
    index("jobs_workspace_id_idx").on(t.workspaceId),
    index("jobs_status_idx").on(t.status),
    index("jobs_type_idx").on(t.type),
    index("jobs_created_at_idx").on(t.createdAt),
    index("jobs_workspace_id_status_idx").on(t.workspaceId, t.status),
    // The claim query: the next runnable job by priority, then age.
    index("jobs_status_priority_created_at_idx").on(t.status, desc(t.priority), t.createdAt),
    index("jobs_workspace_id_created_at_id_idx").on(t.workspaceId, desc(t.createdAt), desc(t.id)),
    // One scheduled monitor job per workspace per schedule slot (`trigger_event` names the slot), however
    // many hosts or overlapping crons try to create it.
    uniqueIndex("jobs_monitor_trigger_event_workspace_id_idx")
      .on(t.triggerEvent, t.workspaceId)
      .where(sql`type = 'monitor'`),
    // At most one queued or running import per integration (`trigger_event` names it): two would
    // fetch the same pages and race for its sync cursor.
    uniqueIndex("jobs_active_import_trigger_event_workspace_id_idx")
      .on(t.triggerEvent, t.workspaceId)
      .where(sql`type = 'import' and status in ('queued', 'running')`),
  ],
);

/** One row per failed attempt: what went wrong and how long the job waits before the next. */
export const jobRetryHistory = sqliteTable(
  "job_retry_history",
  {
    id: text("id").primaryKey(),
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    error: text("error").notNull(),
    errorCategory: text("error_category", { enum: jobErrorCategory }).notNull(),
    delayMs: integer("delay_ms").notNull(),
    willRetry: integer("will_retry", { mode: "boolean" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("job_retry_history_job_id_idx").on(t.jobId), index("job_retry_history_created_at_idx").on(t.createdAt)],
);

/** Log lines are appended as rows, so concurrent writers never lose each other's lines. */
export const jobLogs = sqliteTable(
  "job_logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jobId: text("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    level: text("level", { enum: jobLogLevel }).notNull().default("info"),
    message: text("message").notNull(),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index("job_logs_job_id_id_idx").on(t.jobId, t.id)],
);

export type Job = typeof jobs.$inferSelect;
export type NewJob = typeof jobs.$inferInsert;
export type JobRetryHistory = typeof jobRetryHistory.$inferSelect;
export type NewJobRetryHistory = typeof jobRetryHistory.$inferInsert;
export type JobLog = typeof jobLogs.$inferSelect;
export type NewJobLog = typeof jobLogs.$inferInsert;
