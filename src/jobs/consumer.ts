import { z } from "zod";
import type { Deps } from "../context";
import { type ExecuteOptions, executeJob } from "./execute";
import type { JobHandlers } from "./handlers/types";
import { JobLeases } from "./job-leases";
import { newLeaseOwner } from "./lease-owner";

/** The part of a Cloudflare Queues message the consumer uses (kept structural: no host import here). */
export interface JobQueueMessage {
  readonly body: unknown;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** Queue messages carry only a job id; the jobs table is the truth. */
export const JobMessageBody = z.object({ jobId: z.string().min(1).max(128) });
export type JobMessageBody = z.infer<typeof JobMessageBody>;

const RETRY_AFTER_ERROR_SECONDS = 10;

/**
 * Workers queue consumer: each message names a job; claim it (by id) and run it. A message that
 * arrives before the job's `next_retry_at` is redelivered later; any other unclaimable job (missing,
 * finished, held by another runner) is acknowledged, since the table, not the message, is the truth.
 */
export async function consumeJobMessages(
  deps: Deps,
  handlers: JobHandlers,
  messages: readonly JobQueueMessage[],
): Promise<void> {
  const run: ExecuteOptions = {
    deps,
    handlers,
    owner: newLeaseOwner("queue"),
    leaseMs: deps.config.jobs.leaseMs,
    leases: new JobLeases(deps.db, deps.clock),
  };
  await Promise.all(messages.map((message) => consumeMessage(run, message)));
}

async function consumeMessage(run: ExecuteOptions, message: JobQueueMessage) {
  const { deps, owner, leaseMs, leases } = run;
  const parsed = JobMessageBody.safeParse(message.body);
  if (!parsed.success) {
    deps.logger.warn("job.message_invalid", { issues: parsed.error.issues.length });
    message.ack();
    return;
  }
  const { jobId } = parsed.data;
  try {
    const job = await leases.claim(jobId, owner, leaseMs);
    if (job) {
      await executeJob(run, job);
      message.ack();
      return;
    }
    const current = await leases.find(jobId);
    const dueAtMs = current?.status === "queued" && current.nextRetryAt ? Date.parse(current.nextRetryAt) : 0;
    const delaySeconds = Math.ceil((dueAtMs - deps.clock.now().getTime()) / 1000);
    if (delaySeconds > 0) {
      message.retry({ delaySeconds });
      return;
    }
    message.ack();
  } catch (err) {
    deps.logger.error("job.consume_failed", { job_id: jobId, error: err instanceof Error ? err.message : String(err) });
    message.retry({ delaySeconds: RETRY_AFTER_ERROR_SECONDS });
  }
}
