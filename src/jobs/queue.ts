/**
 * Carries job ids to a runner. The jobs table is the truth: a lost message only delays a job
 * until the sweeper re-sends it. Workers: a Cloudflare Queue; Node: a wake-up for the poller.
 */
export interface JobQueue {
  enqueue(jobId: string, options?: { delayMs?: number }): Promise<void>;
}
