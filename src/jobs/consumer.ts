import { z } from "zod";
import type { Deps } from "../context";
import { executeJob } from "./execute";
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
  const owner = newLeaseOwner("queue");
  await Promise.all(messages.map((message) => consumeMessage(deps, handlers, owner, message)));
}

async function consumeMessage(deps: Deps, handlers: JobHandlers, owner: string, message: JobQueueMessage) {
  const parsed = JobMessageBody.safeParse(message.body);
  if (!parsed.success) {
    deps.logger.warn("job.message_invalid", { issues: parsed.error.issues.length });
    message.ack();
    return;
  }
  const { jobId } = parsed.data;
  const leaseMs = deps.config.jobs.leaseMs;
  const leases = new JobLeases(deps.db, deps.clock);
  try {
    const job = await leases.claim(jobId, owner, leaseMs);
    if (job) {
      await executeJob({ deps, handlers, owner, leaseMs }, job);
      message.ack();
      return;
    }
    const current = await leases.find(jobId);
    const waitMs = current?.status === "queued" && current.nextRetryAt ? Date.parse(current.nextRetryAt) : 0;
    const delaySeconds = Math.ceil((waitMs - deps.clock.now().getTime()) / 1000);
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
