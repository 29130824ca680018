import type { Ctx } from "../context";
import type { Job, JobRetryHistory } from "../db/schema";
import type { JobStatus, JobType } from "../db/schema/enums";
import { invalidState, notFound } from "../errors";
import { enqueueQuietly } from "./execute";
import type { DiagnosticPayload } from "./handlers/diagnostic";
import { JobManager } from "./job-manager";

export interface CreateJobRequest {
  type: JobType;
  payload: Record<string, unknown>;
  maxRetries?: number;
  priority?: number;
  agentId?: string;
  agentVersionId?: string;
  triggerEvent?: string;
}

function manager(ctx: Ctx): JobManager {
  return new JobManager(ctx.db, ctx.deps.clock);
}

/** Throws NOT_FOUND for a missing job and for another workspace's job alike. */
export async function getJob(ctx: Ctx, id: string): Promise<Job> {
  const job = await manager(ctx).get(ctx.workspaceId, id);
  if (!job) {
    throw notFound("job", id);
  }
  return job;
}

/** The job of this type started for `triggerEvent` that is still queued or running, if any. */
export function findActiveJob(ctx: Ctx, type: JobType, triggerEvent: string): Promise<Job | undefined> {
  return manager(ctx).findActive(ctx.workspaceId, type, triggerEvent);
}

/** The one way every feature starts background work: insert the job (`queued`), then enqueue it. */
export async function createJob(ctx: Ctx, request: CreateJobRequest): Promise<Job> {
  const job = await manager(ctx).create({ workspaceId: ctx.workspaceId, ...request });
  await enqueueQuietly(ctx.deps, job.id);
  return job;
}

export function startDiagnosticJob(ctx: Ctx, payload: DiagnosticPayload): Promise<Job> {
  return createJob(ctx, { type: "diagnostic", payload });
}

export interface ListJobsInput {
  status?: JobStatus | undefined;
  type?: JobType | undefined;
  limit: number;
  before?: { createdAt: string; id: string } | undefined;
}

export interface JobsPage {
  jobs: Job[];
  hasMore: boolean;
}

/** Newest first (created_at desc, id desc), every job type. */
export async function listJobs(ctx: Ctx, input: ListJobsInput): Promise<JobsPage> {
  const rows = await manager(ctx).list(ctx.workspaceId, { ...input, limit: input.limit + 1 });
  return { jobs: rows.slice(0, input.limit), hasMore: rows.length > input.limit };
}

/** Cancels a queued or running job; a running handler stops at its next unit boundary. */
export async function cancelJob(ctx: Ctx, id: string): Promise<Job> {
  const job = await manager(ctx).cancel(ctx.workspaceId, id);
  if (job) {
    return job;
  }
  const current = await getJob(ctx, id);
  throw invalidState(`Job ${id} is already ${current.status}`);
}

/** Re-runs a failed or cancelled job with a fresh retry budget, and enqueues it. */
export async function retryJob(ctx: Ctx, id: string): Promise<Job> {
  const job = await manager(ctx).requeue(ctx.workspaceId, id);
  if (!job) {
    const current = await getJob(ctx, id);
    throw invalidState(`Only failed or cancelled jobs can be retried; job ${id} is ${current.status}`);
  }
  await enqueueQuietly(ctx.deps, job.id);
  return job;
}

export async function getJobRetries(ctx: Ctx, id: string): Promise<{ job: Job; retries: JobRetryHistory[] }> {
  const job = await getJob(ctx, id);
  return { job, retries: await manager(ctx).listRetries(job.id) };
}
