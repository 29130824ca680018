import { and, asc, desc, eq, gt, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Database } from "../db/client";
import { newId } from "../db/ids";
import { prepared } from "../db/prepared";
import { type Job, type JobLog, type JobRetryHistory, jobLogs, jobRetryHistory, jobs } from "../db/schema";
import type { JobLogLevel, JobStatus, JobType } from "../db/schema/enums";

export interface CreateJobInput {
  workspaceId: string;
  type: JobType;
  /** The handler's input; stored as `metadata` and validated by the handler's schema before it runs. */
  payload: Record<string, unknown>;
  maxRetries?: number;
  priority?: number;
  agentId?: string;
  agentVersionId?: string;
  triggerEvent?: string;
}

export interface ListJobsFilter {
  status?: JobStatus | undefined;
  type?: JobType | undefined;
  limit: number;
  /** Keyset position: rows strictly older than this (created_at desc, id desc). */
  before?: { createdAt: string; id: string } | undefined;
}

export interface LogLine {
  level: JobLogLevel;
  message: string;
  data?: Record<string, unknown> | undefined;
}

const ACTIVE: JobStatus[] = ["queued", "running"];

/**
 * The jobs table on Drizzle, as users see it: every read and action is scoped by workspace.
 * What runners do to a job they hold lives in {@link JobLeases} (`job-leases.ts`).
 */
export class JobManager {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  async create(input: CreateJobInput): Promise<Job> {
    const now = this.clock.now();
    const [job] = await this.db
      .insert(jobs)
      .values({
        id: newId("job", now.getTime()),
        workspaceId: input.workspaceId,
        type: input.type,
        metadata: input.payload,
        maxRetries: input.maxRetries,
        priority: input.priority,
        agentId: input.agentId,
        agentVersionId: input.agentVersionId,
        triggerEvent: input.triggerEvent,
        createdAt: now.toISOString(),
      })
      .returning();
    return defined(job);
  }

  /** Prepared: job status is polled (SSE, clients waiting on a job), so this read is hot. */
  get(workspaceId: string, id: string): Promise<Job | undefined> {
    const byId = prepared(this.db, "jobs.byId", (d) =>
      d
        .select()
        .from(jobs)
        .where(and(eq(jobs.id, sql.placeholder("id")), eq(jobs.workspaceId, sql.placeholder("workspaceId"))))
        .prepare(),
    );
    return byId.get({ id, workspaceId });
  }

  /** The job of this type and trigger that is still queued or running, if any. */
  async findActive(workspaceId: string, type: JobType, triggerEvent: string): Promise<Job | undefined> {
    const [job] = await this.db
      .select()
      .from(jobs)
      .where(
        and(
          eq(jobs.triggerEvent, triggerEvent),
          eq(jobs.workspaceId, workspaceId),
          eq(jobs.type, type),
          inArray(jobs.status, ["queued", "running"]),
        ),
      )
      .limit(1);
    return job;
  }

  list(workspaceId: string, filter: ListJobsFilter): Promise<Job[]> {
    const where: (SQL | undefined)[] = [eq(jobs.workspaceId, workspaceId)];
    where.push(filter.status ? eq(jobs.status, filter.status) : undefined);
    where.push(filter.type ? eq(jobs.type, filter.type) : undefined);
    if (filter.before) {
      const { createdAt, id } = filter.before;
      where.push(or(lt(jobs.createdAt, createdAt), and(eq(jobs.createdAt, createdAt), lt(jobs.id, id))));
    }
    return this.db
      .select()
      .from(jobs)
      .where(and(...where))
      .orderBy(desc(jobs.createdAt), desc(jobs.id))
      .limit(filter.limit);
  }

  /** Marks a queued or running job cancelled; undefined if it is missing or already finished. */
  async cancel(workspaceId: string, id: string): Promise<Job | undefined> {
    const now = this.now();
    const [job] = await this.db
      .update(jobs)
      .set({ status: "cancelled", cancelRequestedAt: now, completedAt: now, nextRetryAt: null })
      .where(and(eq(jobs.id, id), eq(jobs.workspaceId, workspaceId), inArray(jobs.status, ACTIVE)))
      .returning();
    return job;
  }

  /** Manual retry of a failed or cancelled job: back to `queued` with a fresh retry budget. */
  async requeue(workspaceId: string, id: string): Promise<Job | undefined> {
    const [job] = await this.db
      .update(jobs)
      .set({
        status: "queued",
        progress: 0,
        result: null,
        error: null,
        errorCategory: null,
        retryCount: 0,
        nextRetryAt: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        cancelRequestedAt: null,
        completedAt: null,
      })
      .where(and(eq(jobs.id, id), eq(jobs.workspaceId, workspaceId), inArray(jobs.status, ["failed", "cancelled"])))
      .returning();
    return job;
  }

  listRetries(jobId: string): Promise<JobRetryHistory[]> {
    return this.db
      .select()
      .from(jobRetryHistory)
      .where(eq(jobRetryHistory.jobId, jobId))
      .orderBy(asc(jobRetryHistory.attempt), asc(jobRetryHistory.createdAt));
  }

  async appendLog(jobId: string, line: LogLine): Promise<void> {
    await this.db.insert(jobLogs).values(toLogRow(jobId, line, this.now()));
  }

  listLogs(jobId: string, afterId: number, limit: number): Promise<JobLog[]> {
    return this.db
      .select()
      .from(jobLogs)
      .where(and(eq(jobLogs.jobId, jobId), gt(jobLogs.id, afterId)))
      .orderBy(asc(jobLogs.id))
      .limit(limit);
  }
}

/** A `job_logs` row stamped with `createdAt`. */
export function toLogRow(jobId: string, line: LogLine, createdAt: string) {
  return { jobId, level: line.level, message: line.message, data: line.data, createdAt };
}

export function defined<T>(row: T | undefined): T {
  if (row === undefined) {
    throw new Error("INSERT ... RETURNING returned no row");
  }
  return row;
}
