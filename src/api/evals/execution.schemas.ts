import { z } from "@hono/zod-openapi";
import { feedbackRating, jobStatus, traceSource } from "../../db/schema/enums";
import { validationError } from "../../errors";
import {
  type ExecutionDetail,
  type ExecutionPosition,
  type ExecutionWithTrace,
  executionTargets,
  MAX_EXECUTE_TRACE_IDS,
  type Page,
  type PlaygroundRun,
  type StartedExecution,
  type TraceExecution,
} from "../../evals";
import { IdParam } from "../api-keys.schemas";
import { Id } from "../feedback.schemas";
import { CursorPage, CursorQuery, decodeCursor, encodeCursor } from "../pagination";
import { EvalCode } from "./schemas";

const Instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .openapi({ type: "string", format: "date-time" });
const BooleanText = z.enum(["true", "false"]).transform((v) => v === "true");

export const ExecuteEvalBody = z
  .object({
    trace_ids: z.array(Id).min(1).max(MAX_EXECUTE_TRACE_IDS).optional().openapi({
      description: "Explicit traces; ids of no trace of this workspace are skipped and reported in the job result",
    }),
    target: z.enum(executionTargets).optional().openapi({
      description:
        "Without trace_ids: the agent's labeled traces (default), all its traces, or those imported since `since`",
    }),
    since: Instant.optional(),
    force: z.boolean().default(false).openapi({ description: "Re-run traces that already have an execution" }),
  })
  .refine((b) => b.trace_ids === undefined || (b.target === undefined && b.since === undefined), {
    message: "give trace_ids or a target, not both",
    path: ["trace_ids"],
  })
  .refine((b) => (b.target === "since") === (b.since !== undefined), {
    message: 'target "since" needs `since`, and `since` goes with target "since"',
    path: ["since"],
  })
  .openapi("ExecuteEvalBody");

export const ExecuteEvalResponse = z
  .object({
    job_id: z.string(),
    status: z.enum(jobStatus),
    estimated_count: z.number().int().openapi({ description: "Traces in the target set before skipping" }),
  })
  .openapi("ExecuteEvalResponse");

export function toExecuteResponseJson(started: StartedExecution): z.infer<typeof ExecuteEvalResponse> {
  return { job_id: started.job.id, status: started.job.status, estimated_count: started.estimatedCount };
}

const ExecutionFields = {
  id: z.string(),
  trace_id: z.string(),
  eval_id: z.string(),
  result: z.boolean().nullable().openapi({ description: "The prediction (pass); null when the execution failed" }),
  score: z.number().nullable(),
  reason: z.string().nullable(),
  error: z.string().nullable(),
  error_kind: z.string().nullable(),
  execution_time_ms: z.number().int().nullable(),
  job_id: z.string().nullable(),
  executed_at: z.string(),
};

export const EvalExecutionSchema = z
  .object({
    ...ExecutionFields,
    trace_summary: z.object({
      timestamp: z.string().nullable(),
      input_preview: z.string().nullable(),
      output_preview: z.string().nullable(),
      source: z.enum(traceSource),
    }),
  })
  .openapi("EvalExecution");

export const EvalExecutionPage = CursorPage("executions", EvalExecutionSchema).openapi("EvalExecutionPage");

export const ListEvalExecutionsQuery = z.object({
  result: BooleanText.optional().openapi({ description: "true: passed, false: failed" }),
  has_error: BooleanText.optional(),
  ...CursorQuery,
});

export const TraceExecutionsSchema = z
  .object({
    executions: z.array(z.object({ ...ExecutionFields, eval_name: z.string(), eval_version: z.number().int() })),
  })
  .openapi("TraceExecutions");

export const ExecutionDetailSchema = z
  .object({
    ...ExecutionFields,
    eval_name: z.string(),
    console_output: z.string().nullable(),
    human_feedback: z.object({ rating: z.enum(feedbackRating), notes: z.string().nullable() }).nullable(),
    is_contradiction: z.boolean().nullable().openapi({
      description: "Positive & fail or negative & pass; neutral never; null without a label or a prediction",
    }),
  })
  .openapi("EvalExecutionDetail");

export const TraceIdParams = z.object({ id: IdParam });
export const ExecutionPairParams = z.object({
  traceId: IdParam.openapi({ param: { name: "traceId", in: "path" } }),
  evalId: IdParam.openapi({ param: { name: "evalId", in: "path" } }),
});

export const PlaygroundBody = z
  .object({
    code: EvalCode.optional().openapi({ description: "Defaults to the eval's stored code" }),
    trace_ids: z.array(Id).min(1).max(50),
  })
  .openapi("PlaygroundBody");

export const PlaygroundResponse = z
  .object({
    results: z.array(
      z.object({
        trace_id: z.string(),
        human_feedback: z.enum(feedbackRating).nullable(),
        pass: z.boolean().nullable(),
        score: z.number().nullable(),
        reason: z.string().nullable(),
        is_match: z.boolean().nullable(),
        is_contradiction: z.boolean().nullable(),
        execution_time_ms: z.number().int(),
        error: z.string().nullable(),
        error_kind: z.string().nullable(),
        console: z.string(),
      }),
    ),
    summary: z.object({
      total: z.number().int(),
      matches: z.number().int(),
      contradictions: z.number().int(),
      errors: z.number().int(),
      avg_time_ms: z.number(),
    }),
  })
  .openapi("PlaygroundResponse");

function executionFieldsJson(e: ExecutionWithTrace | TraceExecution | ExecutionDetail) {
  return {
    id: e.id,
    trace_id: e.traceId,
    eval_id: e.evalId,
    result: e.predictedResult,
    score: e.score,
    reason: e.reason,
    error: e.error,
    error_kind: e.errorKind,
    execution_time_ms: e.executionTimeMs,
    job_id: e.jobId,
    executed_at: e.executedAt,
  };
}

export function toEvalExecutionJson(e: ExecutionWithTrace): z.infer<typeof EvalExecutionSchema> {
  const t = e.trace;
  return {
    ...executionFieldsJson(e),
    trace_summary: {
      timestamp: t.startedAt,
      input_preview: t.inputPreview,
      output_preview: t.outputPreview,
      source: t.source,
    },
  };
}

export function toEvalExecutionPageJson(page: Page<ExecutionWithTrace>) {
  const last = page.items.at(-1);
  return {
    executions: page.items.map(toEvalExecutionJson),
    next_cursor: page.hasMore && last ? encodeCursor({ executed_at: last.executedAt, id: last.id }) : null,
    has_more: page.hasMore,
  };
}

export function decodeExecutionCursor(cursor: string | undefined): ExecutionPosition | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const { executed_at, id } = decodeCursor(cursor, ["executed_at", "id"]);
  if (typeof executed_at !== "string" || typeof id !== "string") {
    throw validationError("Invalid cursor", [{ path: "cursor", message: "not a cursor this API issued" }]);
  }
  return { executedAt: executed_at, id };
}

export function toTraceExecutionsJson(rows: TraceExecution[]): z.infer<typeof TraceExecutionsSchema> {
  return {
    executions: rows.map((e) => ({ ...executionFieldsJson(e), eval_name: e.evalName, eval_version: e.evalVersion })),
  };
}

export function toExecutionDetailJson(e: ExecutionDetail): z.infer<typeof ExecutionDetailSchema> {
  return {
    ...executionFieldsJson(e),
    eval_name: e.evalName,
    console_output: e.consoleOutput,
    human_feedback: e.humanFeedback,
    is_contradiction: e.isContradiction,
  };
}

export function toPlaygroundJson(run: PlaygroundRun): z.infer<typeof PlaygroundResponse> {
  return {
    results: run.results.map((r) => ({
      trace_id: r.traceId,
      human_feedback: r.humanFeedback,
      pass: r.pass,
      score: r.score,
      reason: r.reason,
      is_match: r.isMatch,
      is_contradiction: r.isContradiction,
      execution_time_ms: r.executionTimeMs,
      error: r.error,
      error_kind: r.errorKind,
      console: r.console,
    })),
    summary: {
      total: run.summary.total,
      matches: run.summary.matches,
      contradictions: run.summary.contradictions,
      errors: run.summary.errors,
      avg_time_ms: run.summary.avgTimeMs,
    },
  };
}
