import type { Actor, Ctx, Deps } from "../context";
import type { Job } from "../db/schema";
import { AppError } from "../errors";
import { computeBackoffMs } from "./backoff";
import { classifyError, describeError, JobCancelled } from "./errors";
import type { JobContext, JobHandlers } from "./handlers/types";
import type { JobLeases } from "./job-leases";
import { JobManager } from "./job-manager";

export interface ExecuteOptions {
  deps: Deps;
  handlers: JobHandlers;
  /** This runner's lease token. */
  owner: string;
  leaseMs: number;
  /** Shared by the runner's jobs, so its prepared statements are built once. */
  leases: JobLeases;
}

export type JobOutcome = "completed" | "retrying" | "failed" | "cancelled" | "lost";

// A job acts for its workspace with the rights checked when it was created.
const JOB_ACTOR: Actor = { kind: "local", role: "owner", apiKeyId: undefined };

/**
 * Runs one job this runner has claimed, then records how it ended: completed; re-queued with
 * backoff (and re-enqueued); failed; stopped after a cancel; or "lost" (no longer ours, nothing written).
 * Throws only when the database refuses the final write; the lease then expires and the sweeper acts.
 */
export async function executeJob(options: ExecuteOptions, job: Job): Promise<JobOutcome> {
  const { deps, handlers, owner, leases } = options;
  try {
    const handler = handlers[job.type];
    if (!handler) {
      throw new AppError("CONFIGURATION_ERROR", `No handler is registered for job type ${job.type}`);
    }
    const payload = handler.payload.parse(job.metadata ?? {});
    const running = { id: job.id, workspaceId: job.workspaceId, type: job.type, attempt: job.attempts, payload };
    const result = await handler.run(running, createJobContext(options, job));
    if (await leases.complete(job.id, owner, result)) {
      deps.logger.debug("job.completed", { job_id: job.id, type: job.type, attempt: job.attempts });
      return "completed";
    }
    return await stopCancelled(options, job);
  } catch (err) {
    return settleFailure(options, job, err);
  }
}

function createJobContext(options: ExecuteOptions, job: Job): JobContext {
  const { deps, owner, leaseMs, leases } = options;
  const manager = new JobManager(deps.db, deps.clock);
  const ctx: Ctx = { db: deps.db, workspaceId: job.workspaceId, actor: JOB_ACTOR, requestId: job.id, deps };
  // Set when a progress write finds the job no longer ours, so the next check needs no query.
  let lost = false;
  return {
    ctx,
    async progress(percent, message) {
      const line = message === undefined ? undefined : { level: "info" as const, message };
      lost ||= !(await leases.reportProgress(job.id, owner, percent, leaseMs, line));
    },
    log: (level, message, data) => manager.appendLog(job.id, { level, message, data }),
    async checkCancelled() {
      if (lost || !(await leases.isHeld(job.id, owner))) {
        lost = true;
        throw new JobCancelled(job.id);
      }
    },
  };
}

async function stopCancelled(options: ExecuteOptions, job: Job): Promise<JobOutcome> {
  const acknowledged = await options.leases.acknowledgeCancel(job.id, options.owner, "Stopped: the job was cancelled");
  options.deps.logger.info(acknowledged ? "job.cancelled" : "job.lost", { job_id: job.id, type: job.type });
  return acknowledged ? "cancelled" : "lost";
}

async function settleFailure(options: ExecuteOptions, job: Job, err: unknown): Promise<JobOutcome> {
  const { deps, owner } = options;
  const { category, retryable, retryAfterMs } = classifyError(err);
  if (category === "cancelled") {
    return stopCancelled(options, job);
  }
  const willRetry = retryable && job.retryCount < job.maxRetries;
  const attempt = job.retryCount + 1;
  const delayMs = willRetry ? computeBackoffMs({ attempt, category, retryAfterMs, random: deps.random }) : 0;
  deps.logger.warn("job.attempt_failed", {
    job_id: job.id,
    type: job.type,
    attempt: job.attempts,
    category,
    will_retry: willRetry,
    delay_ms: delayMs,
    error: err instanceof Error ? err.message : String(err),
  });
  const failure = { error: describeError(err), category, delayMs, willRetry };
  if (!(await options.leases.fail(job.id, owner, failure))) {
    return stopCancelled(options, job);
  }
  if (willRetry) {
    await enqueueQuietly(deps, job.id, delayMs);
  }
  return willRetry ? "retrying" : "failed";
}

/** The row is already `queued`: a failed send only delays the job until the sweeper re-sends it. */
export async function enqueueQuietly(deps: Deps, jobId: string, delayMs = 0): Promise<void> {
  try {
    await deps.jobQueue.enqueue(jobId, { delayMs });
  } catch (err) {
    deps.logger.error("job.enqueue_failed", { job_id: jobId, error: err instanceof Error ? err.message : String(err) });
  }
}
