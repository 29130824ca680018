import { z } from "@hono/zod-openapi";
import { feedbackRating, traceSource } from "../db/schema/enums";
import type { IngestReport, TraceDetail, TracePage, TracePosition, TraceRow } from "../traces";
import { IdParam } from "./api-keys.schemas";
import { ErrorBody } from "./error-responses";
import { FeedbackSchema, Id, toFeedbackJson } from "./feedback.schemas";
import { CursorPage, CursorQuery, decodeCursor, encodeCursor } from "./pagination";
import { CreateTraceFields, JsonValueSchema, SpanSchema } from "./trace-documents.schemas";

export const TraceIdParams = z.object({ id: IdParam });

/** 415 for the routes that read a raw body (upload, OTLP). */
export const unsupportedMediaType = {
  description: "The Content-Type is not one this route reads",
  content: { "application/json": { schema: ErrorBody } },
};

const LabelSummary = z.object({
  id: z.string(),
  rating: z.enum(feedbackRating),
  notes: z.string().nullable(),
  agent_id: z.string().nullable(),
});

export const TraceSummarySchema = z
  .object({
    id: z.string(),
    trace_id: z.string().openapi({ description: "The source's own id (external id)" }),
    source: z.enum(traceSource),
    name: z.string().nullable(),
    timestamp: z.string().openapi({ description: "When the trace started, else when it was imported" }),
    imported_at: z.string(),
    updated_at: z.string(),
    integration_id: z.string().nullable(),
    span_count: z.number().int(),
    llm_call_count: z.number().int(),
    tool_call_count: z.number().int(),
    total_tokens: z.number().int(),
    total_duration_ms: z.number().nullable(),
    model: z.string().nullable(),
    agent_id: z.string().nullable(),
    agent_version_id: z.string().nullable(),
    summary: z.object({
      input_preview: z.string().nullable(),
      output_preview: z.string().nullable(),
      has_errors: z.boolean(),
    }),
    feedback: LabelSummary.nullable(),
  })
  .openapi("TraceSummary");

export const TracePageSchema = CursorPage("traces", TraceSummarySchema)
  .extend({ total_count: z.number().int().openapi({ description: "Traces matching the filters, all pages" }) })
  .openapi("TracePage");

const Instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .openapi({ type: "string", format: "date-time" });

const RatingList = z
  .string()
  .max(100)
  .transform((csv) => csv.split(",").map((r) => r.trim()))
  .pipe(z.array(z.enum(feedbackRating)).min(1).max(feedbackRating.length))
  .openapi({ type: "string", description: "Comma-separated ratings, e.g. `positive,neutral`" });

export const ListTracesQuery = z.object({
  agent_id: Id.optional(),
  agent_version_id: Id.optional(),
  source: z.enum(traceSource).optional(),
  rating: RatingList.optional(),
  has_feedback: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .openapi({ type: "string", enum: ["true", "false"] }),
  date_from: Instant.optional().openapi({ description: "At or after (ISO-8601), on `date_field`" }),
  date_to: Instant.optional().openapi({ description: "At or before (ISO-8601), on `date_field`" }),
  date_field: z.enum(["imported_at", "started_at"]).default("imported_at"),
  q: z.string().min(1).max(200).optional().openapi({ description: "Text contained in the input or output preview" }),
  ...CursorQuery,
});

/** Decodes an (imported_at, id) cursor made by {@link toTracePageJson}; anything else is a 400. */
export function decodeTraceCursor(cursor: string | undefined): TracePosition | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const { imported_at, id } = decodeCursor(cursor, ["imported_at", "id"]);
  return { importedAt: String(imported_at), id: String(id) };
}

export function toTraceSummaryJson(row: TraceRow): z.infer<typeof TraceSummarySchema> {
  return {
    id: row.id,
    trace_id: row.externalId,
    source: row.source,
    name: row.name,
    timestamp: row.startedAt ?? row.importedAt,
    imported_at: row.importedAt,
    updated_at: row.updatedAt,
    integration_id: row.integrationId,
    span_count: row.spanCount,
    llm_call_count: row.llmCallCount,
    tool_call_count: row.toolCallCount,
    total_tokens: row.totalTokens,
    total_duration_ms: row.totalDurationMs,
    model: row.model,
    agent_id: row.agentId,
    agent_version_id: row.agentVersionId,
    summary: { input_preview: row.inputPreview, output_preview: row.outputPreview, has_errors: row.hasErrors },
    feedback: row.feedback && {
      id: row.feedback.id,
      rating: row.feedback.rating,
      notes: row.feedback.notes,
      agent_id: row.feedback.agentId,
    },
  };
}

export function toTracePageJson(page: TracePage): z.infer<typeof TracePageSchema> {
  const last = page.items.at(-1);
  return {
    traces: page.items.map(toTraceSummaryJson),
    next_cursor: page.hasMore && last ? encodeCursor({ imported_at: last.importedAt, id: last.id }) : null,
    has_more: page.hasMore,
    total_count: page.totalCount,
  };
}

const ExecutionSchema = z.object({
  id: z.string(),
  eval_id: z.string(),
  eval_name: z.string(),
  result: z.boolean().nullable().openapi({ description: "The eval's verdict; null when it failed to run" }),
  score: z.number().nullable(),
  reason: z.string().nullable(),
  error: z.string().nullable(),
  execution_time_ms: z.number().nullable(),
  executed_at: z.string(),
});

export const TraceDetailSchema = TraceSummarySchema.omit({ feedback: true })
  .extend({
    started_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    input: JsonValueSchema,
    output: JsonValueSchema,
    metadata: z.record(z.string(), JsonValueSchema),
    tags: z.array(z.string()),
    user_id: z.string().nullable(),
    session_id: z.string().nullable(),
    spans: z.array(SpanSchema),
    view: z.record(z.string(), z.unknown()).openapi({
      description: "The trace view evals receive (`evaluate(trace)`), documented in src/traces/model/README.md",
    }),
    feedback: FeedbackSchema.nullable(),
    executions: z.array(ExecutionSchema),
  })
  .openapi("TraceDetail");

export function toTraceDetailJson(detail: TraceDetail): z.infer<typeof TraceDetailSchema> {
  const { feedback: _label, ...summary } = toTraceSummaryJson(detail.row);
  const t = detail.trace;
  return {
    ...summary,
    started_at: t.started_at,
    ended_at: t.ended_at,
    input: t.input,
    output: t.output,
    metadata: t.metadata,
    tags: t.tags,
    user_id: t.user_id,
    session_id: t.session_id,
    spans: t.spans,
    view: { ...detail.view },
    feedback: detail.label ? toFeedbackJson(detail.label) : null,
    executions: detail.executions.map((e) => ({
      id: e.id,
      eval_id: e.evalId,
      eval_name: e.evalName,
      result: e.predictedResult,
      score: e.score,
      reason: e.reason,
      error: e.error,
      execution_time_ms: e.executionTimeMs,
      executed_at: e.executedAt,
    })),
  };
}

export const CreateTraceBody = CreateTraceFields.openapi("CreateTraceBody");

export const DeleteTracesBody = z.object({ trace_ids: z.array(Id).min(1).max(100) }).openapi("DeleteTracesBody");

export const DeleteTracesResponse = z.object({ deleted_count: z.number().int() }).openapi("DeleteTracesResponse");

const RejectionSchema = z.object({
  path: z
    .string()
    .nullable()
    .openapi({ description: "Where in the file (`line 7`, `[3]`), for items that did not parse" }),
  trace_id: z
    .string()
    .nullable()
    .openapi({ description: "The trace's external id, for traces that could not be stored" }),
  code: z.string(),
  reason: z.string(),
});

export const UploadResponse = z
  .object({
    stored: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    traces: z.array(z.object({ id: z.string(), trace_id: z.string(), created: z.boolean() })),
    rejected: z.array(RejectionSchema),
  })
  .openapi("UploadTracesResponse");

export function toUploadJson(report: IngestReport): z.infer<typeof UploadResponse> {
  const created = report.stored.filter((s) => s.created).length;
  return {
    stored: report.stored.length,
    created,
    updated: report.stored.length - created,
    traces: report.stored.map((s) => ({ id: s.id, trace_id: s.external_id, created: s.created })),
    rejected: report.rejected.map((r) => ({ path: r.path, trace_id: r.externalId, code: r.code, reason: r.reason })),
  };
}
