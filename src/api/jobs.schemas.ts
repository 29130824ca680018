import { z } from "@hono/zod-openapi";
import { ID_PATTERN } from "../db/ids";
import { jobErrorCategory, jobStatus, jobType } from "../db/schema/enums";
import { DiagnosticPayload, type Job, type JobRetryHistory, type JobsPage } from "../jobs";
import { CursorPage, CursorQuery, decodeCursor, encodeCursor } from "./pagination";

const Timestamp = z.string().openapi({ example: "2026-11-24T01:02:03.456Z" });
const JsonObject = z.record(z.string(), z.unknown());

export const JobSchema = z
  .object({
    id: z.string(),
    workspace_id: z.string(),
    type: z.enum(jobType),
    status: z.enum(jobStatus),
    progress: z.number().int().min(0).max(100),
    metadata: JsonObject.nullable(),
    result: JsonObject.nullable(),
    error: z.string().nullable(),
    retry_count: z.number().int(),
    max_retries: z.number().int(),
    error_category: z.enum(jobErrorCategory).nullable(),
    next_retry_at: Timestamp.nullable(),
    created_at: Timestamp,
    started_at: Timestamp.nullable(),
    completed_at: Timestamp.nullable(),
  })
  .openapi("Job");

export const JobIdParams = z.object({
  id: z
    .string()
    .regex(ID_PATTERN)
    .openapi({ param: { name: "id", in: "path" }, example: "job_01jf3k8r2m" }),
});

export const ListJobsQuery = z.object({
  status: z.enum(jobStatus).optional(),
  type: z.enum(jobType).optional(),
  ...CursorQuery,
});

export const JobsPageSchema = CursorPage("jobs", JobSchema).openapi("JobsPage");

export const JobStatusBody = z.object({ id: z.string(), status: z.enum(jobStatus) }).openapi("JobStatus");

export const JobRetriesBody = z
  .object({
    job_id: z.string(),
    total_attempts: z.number().int(),
    retries: z.array(
      z.object({
        attempt: z.number().int(),
        error: z.string(),
        error_category: z.enum(jobErrorCategory),
        delay_ms: z.number().int(),
        timestamp: Timestamp,
      }),
    ),
  })
  .openapi("JobRetries");

export const StreamJobQuery = z.object({
  after_log_id: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).openapi({
    description: "Replay only log lines with a larger id (reconnect without losing lines)",
  }),
});

// The handler's own payload schema, re-wrapped because zod copies methods onto a schema when it
// is built: one built before zod-openapi loaded has no `.openapi()`.
export const CreateDiagnosticJobBody = z.object(DiagnosticPayload.shape).openapi("CreateDiagnosticJob");

export const JobCreatedBody = z.object({ job_id: z.string(), status: z.enum(jobStatus) }).openapi("JobCreated");

export function toJobJson(job: Job): z.infer<typeof JobSchema> {
  return {
    id: job.id,
    workspace_id: job.workspaceId,
    type: job.type,
    status: job.status,
    progress: job.progress,
    metadata: job.metadata,
    result: job.result,
    error: job.error,
    retry_count: job.retryCount,
    max_retries: job.maxRetries,
    error_category: job.errorCategory,
    next_retry_at: job.nextRetryAt,
    created_at: job.createdAt,
    started_at: job.startedAt,
    completed_at: job.completedAt,
  };
}

/** Cursor = position of the last row on the page, in (created_at desc, id desc) order. */
export function decodeJobsCursor(cursor: string | undefined): { createdAt: string; id: string } | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const position = decodeCursor(cursor, ["c", "i"] as const);
  return { createdAt: String(position.c), id: String(position.i) };
}

export function toJobsPageJson(page: JobsPage): z.infer<typeof JobsPageSchema> {
  const last = page.jobs.at(-1);
  return {
    jobs: page.jobs.map(toJobJson),
    next_cursor: page.hasMore && last ? encodeCursor({ c: last.createdAt, i: last.id }) : null,
    has_more: page.hasMore,
  };
}

export function toJobRetriesJson(job: Job, retries: JobRetryHistory[]): z.infer<typeof JobRetriesBody> {
  return {
    job_id: job.id,
    total_attempts: job.attempts,
    retries: retries.map((r) => ({
      attempt: r.attempt,
      error: r.error,
      error_category: r.errorCategory,
      delay_ms: r.delayMs,
      timestamp: r.createdAt,
    })),
  };
}
