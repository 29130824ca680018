import { and, asc, desc, eq, inArray, isNull, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { Clock } from "../clock";
import type { Database } from "../db/client";
import { newId } from "../db/ids";
import { type Job, jobLogs, jobRetryHistory, jobs } from "../db/schema";
import type { JobErrorCategory, JobStatus } from "../db/schema/enums";
import { type LogLine, toLogRow } from "./job-manager";

export interface JobFailure {
  error: string;
  category: JobErrorCategory;
  delayMs: number;
  willRetry: boolean;
}

/**
 * What runners do to jobs: claim (one UPDATE ... RETURNING), report progress, finish, fail,
 * release. Every write on a held job is guarded by `lease_owner = me AND status = 'running'`, so a
 * job cancelled or re-queued meanwhile is never overwritten.
 */
export class JobLeases {
  private prepared: ReturnType<JobLeases["prepare"]> | undefined;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  private after(ms: number): string {
    return new Date(this.clock.now().getTime() + ms).toISOString();
  }

  /**
   * The hot path (claim, complete) as prepared statements, built once per instance: the query
   * builder costs more than SQLite does on a no-op job. Placeholders are bound per call.
   */
  private get statements() {
    this.prepared ??= this.prepare();
    return this.prepared;
  }

  private prepare() {
    const p = (name: string) => sql`${sql.placeholder(name)}`;
    const claim = {
      status: "running" as const,
      progress: 0,
      leaseOwner: p("owner"),
      leaseExpiresAt: p("lease"),
      attempts: sql`${jobs.attempts} + 1`,
      startedAt: sql`coalesce(${jobs.startedAt}, ${p("now")})`,
      nextRetryAt: null,
    };
    const due = and(eq(jobs.status, "queued"), or(isNull(jobs.nextRetryAt), lte(jobs.nextRetryAt, p("now"))));
    const next = this.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(due)
      .orderBy(desc(jobs.priority), asc(jobs.createdAt))
      .limit(sql.placeholder("limit"));
    const done = {
      status: "completed" as const,
      progress: 100,
      result: p("result"),
      error: null,
      errorCategory: null,
      completedAt: p("now"),
      leaseOwner: null,
      leaseExpiresAt: null,
    };
    const held = and(eq(jobs.id, p("id")), eq(jobs.leaseOwner, p("owner")), eq(jobs.status, "running"));
    return {
      claimNext: this.db
        .update(jobs)
        .set(claim)
        .where(and(inArray(jobs.id, next), eq(jobs.status, "queued")))
        .returning()
        .prepare(),
      claim: this.db
        .update(jobs)
        .set(claim)
        .where(and(eq(jobs.id, p("id")), due))
        .returning()
        .prepare(),
      complete: this.db.update(jobs).set(done).where(held).returning({ id: jobs.id }).prepare(),
    };
  }

  private claimParams(owner: string, leaseMs: number) {
    return { owner, lease: this.after(leaseMs), now: this.now() };
  }

  /** Claims up to `limit` due jobs in one statement (highest priority, then oldest). */
  claimNext(owner: string, leaseMs: number, limit: number): Promise<Job[]> {
    return this.statements.claimNext.all({ ...this.claimParams(owner, leaseMs), limit });
  }

  /** Claims one named job if it is queued and due (a queue message names its job). */
  async claim(id: string, owner: string, leaseMs: number): Promise<Job | undefined> {
    const [job] = await this.statements.claim.all({ ...this.claimParams(owner, leaseMs), id });
    return job;
  }

  /** Any job by id, whatever its workspace: for runners, which act on ids they were handed. */
  async find(id: string): Promise<Job | undefined> {
    const [job] = await this.db.select().from(jobs).where(eq(jobs.id, id));
    return job;
  }

  private held(id: string, owner: string, status: JobStatus = "running"): SQL {
    return and(eq(jobs.id, id), eq(jobs.leaseOwner, owner), eq(jobs.status, status)) as SQL;
  }

  /** Stores progress (and an optional log line), extends the lease; false if the job is no longer ours. */
  async reportProgress(id: string, owner: string, progress: number, leaseMs: number, line?: LogLine) {
    const update = this.db
      .update(jobs)
      .set({ progress: Math.max(0, Math.min(100, Math.round(progress))), leaseExpiresAt: this.after(leaseMs) })
      .where(this.held(id, owner))
      .returning({ id: jobs.id });
    if (!line) {
      return (await update).length === 1;
    }
    const [rows] = await this.db.batch([update, this.db.insert(jobLogs).values(toLogRow(id, line, this.now()))]);
    return rows.length === 1;
  }

  async isHeld(id: string, owner: string): Promise<boolean> {
    const [row] = await this.db.select({ id: jobs.id }).from(jobs).where(this.held(id, owner));
    return row !== undefined;
  }

  async complete(id: string, owner: string, result: Record<string, unknown>): Promise<boolean> {
    // A placeholder bypasses the json column's encoder, so the result is serialised here.
    const params = { id, owner, now: this.now(), result: JSON.stringify(result) };
    return (await this.statements.complete.all(params)).length === 1;
  }

  /**
   * Records a failed attempt: one history row, and the job back to `queued` (with `next_retry_at`)
   * or `failed`, atomically. `expiredBefore` (the sweeper) also requires the lease to have run out.
   */
  async fail(id: string, owner: string, failure: JobFailure, expiredBefore?: string): Promise<boolean> {
    const now = this.now();
    const guard = and(this.held(id, owner), expiredBefore ? lt(jobs.leaseExpiresAt, expiredBefore) : undefined);
    // INSERT ... SELECT guarded like the update; all columns, in table order (drizzle's insert-select).
    const history = this.db.insert(jobRetryHistory).select(sql`
      select ${newId("retry", this.clock.now().getTime())}, ${jobs.id}, ${jobs.attempts}, ${failure.error},
        ${failure.category}, ${failure.willRetry ? failure.delayMs : 0}, ${failure.willRetry ? 1 : 0}, ${now}
      from ${jobs} where ${guard}`);
    const update = this.db
      .update(jobs)
      .set({
        status: failure.willRetry ? "queued" : "failed",
        retryCount: failure.willRetry ? sql`${jobs.retryCount} + 1` : undefined,
        nextRetryAt: failure.willRetry ? this.after(failure.delayMs) : null,
        error: failure.error,
        errorCategory: failure.category,
        lastErrorAt: now,
        completedAt: failure.willRetry ? null : now,
        leaseOwner: null,
        leaseExpiresAt: null,
      })
      .where(guard)
      .returning({ id: jobs.id });
    const [, rows] = await this.db.batch([history, update]);
    return rows.length === 1;
  }

  /** The runner saw the cancellation: drop its lease and log where the handler stopped; false if not ours. */
  async acknowledgeCancel(id: string, owner: string, message: string): Promise<boolean> {
    const guard = this.held(id, owner, "cancelled");
    const [, rows] = await this.db.batch([
      this.db
        .insert(jobLogs)
        .select(sql`select null, ${jobs.id}, 'warn', ${message}, null, ${this.now()} from ${jobs} where ${guard}`),
      this.db.update(jobs).set({ leaseOwner: null, leaseExpiresAt: null }).where(guard).returning({ id: jobs.id }),
    ]);
    return rows.length === 1;
  }

  /** Graceful stop: what this runner still holds goes back to `queued`, its attempt not counted. */
  async release(owner: string): Promise<string[]> {
    const rows = await this.db
      .update(jobs)
      .set({
        status: "queued",
        progress: 0,
        leaseOwner: null,
        leaseExpiresAt: null,
        attempts: sql`${jobs.attempts} - 1`,
      })
      .where(and(eq(jobs.leaseOwner, owner), eq(jobs.status, "running")))
      .returning({ id: jobs.id });
    return rows.map((r) => r.id);
  }

  findExpiredLeases(limit: number): Promise<Job[]> {
    return this.db
      .select()
      .from(jobs)
      .where(and(eq(jobs.status, "running"), lt(jobs.leaseExpiresAt, this.now())))
      .limit(limit);
  }

  /** Queued jobs due for longer than `graceMs`: their queue message was probably lost. */
  async findOverdueQueued(graceMs: number, limit: number): Promise<string[]> {
    const cutoff = this.after(-graceMs);
    const rows = await this.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.status, "queued"), lt(sql`coalesce(${jobs.nextRetryAt}, ${jobs.createdAt})`, cutoff)))
      .limit(limit);
    return rows.map((r) => r.id);
  }
}
