import type { Ctx } from "../context";
import type { Job, JobLog } from "../db/schema";
import { terminalJobStatus } from "../db/schema/enums";
import { JobManager } from "./job-manager";
import { getJob } from "./service";

export interface JobStreamOptions {
  /** Replay log lines with a larger id (a reconnecting client passes the last id it saw). */
  afterLogId: number;
  pollMs: number;
  heartbeatMs: number;
  /** Aborts when the client goes away. */
  signal?: AbortSignal;
}

export type JobStreamEventName = "progress" | "log" | "completed" | "failed" | "cancelled" | "ping";

export interface JobStreamEvent {
  event: JobStreamEventName;
  data: Record<string, unknown>;
  /** Log events carry their log id, so a client knows what to pass as `after_log_id`. */
  id?: string;
}

const LOG_PAGE = 100;
const terminal = new Set<string>(terminalJobStatus);

/** Checks the job exists in this workspace (a 404 before any byte is streamed), then streams it. */
export async function openJobStream(ctx: Ctx, id: string, options: JobStreamOptions) {
  await getJob(ctx, id);
  return streamJobEvents(ctx, id, options);
}

function logEvent(log: JobLog): JobStreamEvent {
  const data = { id: log.id, level: log.level, message: log.message, data: log.data, timestamp: log.createdAt };
  return { event: "log", data, id: String(log.id) };
}

function finalEvent(job: Job): JobStreamEvent {
  if (job.status === "completed") {
    return { event: "completed", data: { status: job.status, result: job.result } };
  }
  if (job.status === "failed") {
    return { event: "failed", data: { status: job.status, error: job.error, error_category: job.errorCategory } };
  }
  return { event: "cancelled", data: { status: job.status } };
}

/**
 * Polls the job: `progress` when status or progress changes, `log` for each new line, a `ping`
 * every `heartbeatMs`, and one final `completed` / `failed` / `cancelled` event, after which it ends.
 */
async function* streamJobEvents(ctx: Ctx, id: string, options: JobStreamOptions): AsyncGenerator<JobStreamEvent> {
  const manager = new JobManager(ctx.db, ctx.deps.clock);
  const clock = ctx.deps.clock;
  let afterLogId = options.afterLogId;
  let lastProgress = "";
  let lastBeatAt = clock.now().getTime();
  while (!options.signal?.aborted) {
    const job = await manager.get(ctx.workspaceId, id);
    if (!job) {
      return;
    }
    for (let page = LOG_PAGE; page === LOG_PAGE; ) {
      const logs = await manager.listLogs(id, afterLogId, LOG_PAGE);
      page = logs.length;
      for (const log of logs) {
        afterLogId = log.id;
        yield logEvent(log);
      }
    }
    const progress = `${job.status}:${job.progress}`;
    if (progress !== lastProgress) {
      lastProgress = progress;
      yield { event: "progress", data: { status: job.status, progress: job.progress } };
    }
    if (terminal.has(job.status)) {
      yield finalEvent(job);
      return;
    }
    await clock.sleep(options.pollMs, options.signal);
    if (clock.now().getTime() - lastBeatAt >= options.heartbeatMs) {
      lastBeatAt = clock.now().getTime();
      yield { event: "ping", data: {} };
    }
  }
}
