import type { z } from "zod";
import type { Ctx } from "../../context";
import type { JobLogLevel, JobType } from "../../db/schema/enums";

/** What a handler may do while it runs. */
export interface JobContext {
  /** A service context for the job's workspace. */
  ctx: Ctx;
  /** Stores progress 0–100 (and a log line when `message` is given) and extends the lease. */
  progress(percent: number, message?: string): Promise<void>;
  log(level: JobLogLevel, message: string, data?: Record<string, unknown>): Promise<void>;
  /** Throws `JobCancelled` if the job was cancelled (or lost its lease); call it between units of work. */
  checkCancelled(): Promise<void>;
}

export interface RunningJob<P> {
  id: string;
  workspaceId: string;
  type: JobType;
  /** 1 on the first run, 2 on the first retry, ... */
  attempt: number;
  /** The job's metadata, parsed by the handler's payload schema. */
  payload: P;
}

export type JobResult = Record<string, unknown>;

export interface JobHandler {
  payload: z.ZodType;
  run(job: RunningJob<unknown>, jobCtx: JobContext): Promise<JobResult>;
}

/** Job type → handler. The runner refuses (permanently fails) types missing here. */
export type JobHandlers = Partial<Record<JobType, JobHandler>>;

/** Types a handler by its payload schema; the runner parses the payload with that schema before `run`. */
export function defineJobHandler<S extends z.ZodType>(definition: {
  payload: S;
  run(job: RunningJob<z.output<S>>, jobCtx: JobContext): Promise<JobResult>;
}): JobHandler {
  return {
    payload: definition.payload,
    run: (job, jobCtx) => definition.run(job as RunningJob<z.output<S>>, jobCtx),
  };
}
