import type { Deps } from "../context";
import { computeBackoffMs } from "./backoff";
import { enqueueQuietly } from "./execute";
import { JobLeases } from "./job-leases";

export interface SweepOptions {
  /** Also re-send queued jobs due for longer than this (Workers: their message may be lost). */
  resendOverdueAfterMs?: number;
  /** Rows handled per kind per sweep; the next sweep takes the rest. */
  limit?: number;
}

export interface SweepResult {
  requeued: string[];
  failed: string[];
  resent: string[];
}

export const LEASE_EXPIRED_ERROR = "Lease expired: the runner stopped before finishing the job";

/**
 * Jobs whose lease ran out (their runner died or was stopped hard) count a failed attempt:
 * back to `queued` with backoff while retries remain, else `failed`. Never leaves a job `running`.
 */
export async function sweepJobs(deps: Deps, options: SweepOptions = {}): Promise<SweepResult> {
  const limit = options.limit ?? 100;
  const leases = new JobLeases(deps.db, deps.clock);
  const result: SweepResult = { requeued: [], failed: [], resent: [] };
  const now = deps.clock.now().toISOString();
  for (const job of await leases.findExpiredLeases(limit)) {
    const willRetry = job.retryCount < job.maxRetries;
    const attempt = job.retryCount + 1;
    const delayMs = willRetry ? computeBackoffMs({ attempt, category: "unknown", random: deps.random }) : 0;
    const failure = { error: LEASE_EXPIRED_ERROR, category: "unknown" as const, delayMs, willRetry };
    // Guarded by the old owner and the expiry, so a runner that just renewed keeps its job.
    if (!(await leases.fail(job.id, job.leaseOwner ?? "", failure, now))) {
      continue;
    }
    (willRetry ? result.requeued : result.failed).push(job.id);
    if (willRetry) {
      await enqueueQuietly(deps, job.id, delayMs);
    }
  }
  if (options.resendOverdueAfterMs !== undefined) {
    result.resent = await leases.findOverdueQueued(options.resendOverdueAfterMs, limit);
    for (const id of result.resent) {
      await enqueueQuietly(deps, id);
    }
  }
  if (result.requeued.length + result.failed.length + result.resent.length > 0) {
    deps.logger.info("job.swept", { requeued: result.requeued, failed: result.failed, resent: result.resent });
  }
  return result;
}
