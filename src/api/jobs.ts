import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import { cancelJob, getJob, getJobRetries, listJobs, openJobStream, retryJob, startDiagnosticJob } from "../jobs";
import { errorResponses } from "./error-responses";
import {
  CreateDiagnosticJobBody,
  decodeJobsCursor,
  JobCreatedBody,
  JobIdParams,
  JobRetriesBody,
  JobSchema,
  JobStatusBody,
  JobsPageSchema,
  ListJobsQuery,
  StreamJobQuery,
  toJobJson,
  toJobRetriesJson,
  toJobsPageJson,
} from "./jobs.schemas";
import { createRouter } from "./router";

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const tags = ["jobs"];

const listJobsRoute = createRoute({
  method: "get",
  path: "/api/jobs",
  operationId: "listJobs",
  tags,
  summary: "List jobs of every type, newest first",
  request: { query: ListJobsQuery },
  responses: { 200: json(JobsPageSchema, "A page of jobs"), ...errorResponses },
});

const getJobRoute = createRoute({
  method: "get",
  path: "/api/jobs/{id}",
  operationId: "getJob",
  tags,
  summary: "Get one job",
  request: { params: JobIdParams },
  responses: { 200: json(JobSchema, "The job"), ...errorResponses },
});

const cancelJobRoute = createRoute({
  method: "post",
  path: "/api/jobs/{id}/cancel",
  operationId: "cancelJob",
  tags,
  summary: "Cancel a queued or running job (a running handler stops between units of work)",
  request: { params: JobIdParams },
  responses: { 200: json(JobStatusBody, "Cancelled"), ...errorResponses },
});

const retryJobRoute = createRoute({
  method: "post",
  path: "/api/jobs/{id}/retry",
  operationId: "retryJob",
  tags,
  summary: "Re-run a failed or cancelled job",
  request: { params: JobIdParams },
  responses: { 200: json(JobSchema, "Queued again"), ...errorResponses },
});

const getJobRetriesRoute = createRoute({
  method: "get",
  path: "/api/jobs/{id}/retries",
  operationId: "getJobRetries",
  tags,
  summary: "Failed attempts of a job, with their error category and backoff delay",
  request: { params: JobIdParams },
  responses: { 200: json(JobRetriesBody, "Retry history"), ...errorResponses },
});

const streamJobRoute = createRoute({
  method: "get",
  path: "/api/jobs/{id}/stream",
  operationId: "openJobStream",
  tags,
  summary: "Server-sent events: progress, log, completed / failed / cancelled; ends when the job ends",
  request: { params: JobIdParams, query: StreamJobQuery },
  responses: {
    200: { description: "An event stream", content: { "text/event-stream": { schema: z.string() } } },
    ...errorResponses,
  },
});

const createDiagnosticJobRoute = createRoute({
  method: "post",
  path: "/api/jobs/diagnostic",
  operationId: "startDiagnosticJob",
  tags,
  summary: "Start a diagnostic job: an end-to-end probe of queue, runner, retries and cancellation",
  request: { body: { content: { "application/json": { schema: CreateDiagnosticJobBody } }, required: true } },
  responses: { 202: json(JobCreatedBody, "Queued"), ...errorResponses },
});

export interface JobsRouterOptions {
  /** How often the SSE stream polls the job. */
  streamPollMs?: number;
  /** How often an idle SSE stream sends a `: ping` comment. */
  heartbeatMs?: number;
}

export function createJobsRouter(options: JobsRouterOptions = {}) {
  const pollMs = options.streamPollMs ?? 1_000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  return createRouter()
    .openapi(listJobsRoute, async (c) => {
      const { cursor, ...query } = c.req.valid("query");
      const page = await listJobs(c.var.ctx, { ...query, before: decodeJobsCursor(cursor) });
      return c.json(toJobsPageJson(page), 200);
    })
    .openapi(createDiagnosticJobRoute, async (c) => {
      const job = await startDiagnosticJob(c.var.ctx, c.req.valid("json"));
      return c.json({ job_id: job.id, status: job.status }, 202);
    })
    .openapi(getJobRoute, async (c) => c.json(toJobJson(await getJob(c.var.ctx, c.req.valid("param").id)), 200))
    .openapi(cancelJobRoute, async (c) => {
      const job = await cancelJob(c.var.ctx, c.req.valid("param").id);
      return c.json({ id: job.id, status: job.status }, 200);
    })
    .openapi(retryJobRoute, async (c) => c.json(toJobJson(await retryJob(c.var.ctx, c.req.valid("param").id)), 200))
    .openapi(getJobRetriesRoute, async (c) => {
      const { job, retries } = await getJobRetries(c.var.ctx, c.req.valid("param").id);
      return c.json(toJobRetriesJson(job, retries), 200);
    })
    .openapi(streamJobRoute, async (c) => {
      const closed = new AbortController();
      const afterLogId = c.req.valid("query").after_log_id;
      const streamOptions = { afterLogId, pollMs, heartbeatMs, signal: closed.signal };
      const events = await openJobStream(c.var.ctx, c.req.valid("param").id, streamOptions);
      return streamSSE(c, async (stream) => {
        stream.onAbort(() => closed.abort());
        for await (const e of events) {
          // A comment keeps proxies from closing an idle stream without waking EventSource listeners.
          await (e.event === "ping"
            ? stream.write(": ping\n\n")
            : stream.writeSSE({ event: e.event, data: JSON.stringify(e.data), id: e.id }));
        }
      });
    });
}

export const jobsRouter = createJobsRouter();
