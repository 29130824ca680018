import { z } from "@hono/zod-openapi";
import { feedbackRating, traceSource } from "../db/schema/enums";
import { validationError } from "../errors";
import type { EvalRef, EvalStats, MatrixPage, MatrixPosition, MatrixStats } from "../matrix";
import { matrixFilterModes } from "../matrix";
import { IdParam } from "./api-keys.schemas";
import { Id } from "./feedback.schemas";
import { CursorPage, CursorQuery, decodeCursor, encodeCursor } from "./pagination";

export const MAX_MATRIX_EVALS = 10;

const EvalIdList = z
  .string()
  .max(MAX_MATRIX_EVALS * 110)
  .transform((csv) => [...new Set(csv.split(",").map((id) => id.trim()))])
  .pipe(z.array(Id).min(1).max(MAX_MATRIX_EVALS))
  .openapi({ type: "string", description: `Comma-separated eval ids of this agent (1 to ${MAX_MATRIX_EVALS})` });

const RatingList = z
  .string()
  .max(100)
  .transform((csv) => csv.split(",").map((r) => r.trim()))
  .pipe(z.array(z.enum(feedbackRating)).min(1).max(feedbackRating.length))
  .openapi({ type: "string", description: "Comma-separated human ratings, e.g. `positive,negative`" });

/** ISO-8601 with a zone, normalised to UTC milliseconds so it compares with stored timestamps. */
const Instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .openapi({ type: "string", format: "date-time" });

const FilterQuery = {
  eval_ids: EvalIdList,
  filter: z.enum(matrixFilterModes).default("all").openapi({
    description:
      "`contradictions_only`: rows where any requested eval contradicts the label; `errors_only`: any errored",
  }),
  rating: RatingList.optional(),
  date_from: Instant.optional().openapi({ description: "Labels created at or after (ISO-8601)" }),
  date_to: Instant.optional().openapi({ description: "Labels created at or before (ISO-8601)" }),
};

export const MatrixQuery = z.object({ ...FilterQuery, ...CursorQuery });
export const MatrixStatsQuery = z.object(FilterQuery);
export const AgentIdParams = z.object({ id: IdParam });

const Ratio = z.number().min(-1).max(1).nullable();
const Count = z.number().int().min(0);

export const MatrixCellSchema = z
  .object({
    result: z.boolean().nullable().openapi({ description: "The eval's verdict (pass); null when it errored" }),
    score: z.number().nullable(),
    reason: z.string().nullable(),
    execution_time_ms: z.number().nullable(),
    error: z.string().nullable(),
    is_contradiction: z.boolean(),
  })
  .openapi("MatrixCell");

export const MatrixRowSchema = z
  .object({
    trace_id: z.string(),
    trace_summary: z.object({
      timestamp: z.string(),
      input_preview: z.string().nullable(),
      output_preview: z.string().nullable(),
      source: z.enum(traceSource),
    }),
    human_feedback: z
      .object({ rating: z.enum(feedbackRating), notes: z.string().nullable(), created_at: z.string() })
      .nullable(),
    predictions: z
      .record(z.string(), MatrixCellSchema.nullable())
      .openapi({ description: "Eval id → its current execution on this trace, null when not executed yet" }),
  })
  .openapi("MatrixRow");

export const EvalStatsSchema = z
  .object({
    eval_id: z.string(),
    eval_name: z.string(),
    total: Count.openapi({ description: "Rows in the filtered set = n + neutral + errors + pending" }),
    n: Count.openapi({ description: "Rows with a positive/negative label and a verdict: the agreement base" }),
    accuracy: Ratio,
    precision: Ratio,
    recall: Ratio,
    f1_score: Ratio,
    cohen_kappa: Ratio,
    coverage: Ratio.openapi({ description: "EvalGen: share of human-negative outputs the eval fails" }),
    false_failure_rate: Ratio.openapi({ description: "EvalGen: share of human-positive outputs the eval fails" }),
    confusion_matrix: z.object({ tp: Count, fp: Count, tn: Count, fn: Count }),
    contradiction_count: Count,
    error_count: Count,
    neutral_count: Count,
    pending_count: Count,
    mean_latency_ms: z.number().nullable(),
  })
  .openapi("EvalStats");

const StatsByEval = z
  .record(z.string(), EvalStatsSchema)
  .openapi({ description: "Eval id → stats over the whole filtered set (not the page)" });

export const MatrixResponse = CursorPage("rows", MatrixRowSchema)
  .extend({ stats: StatsByEval, total_traces: Count })
  .openapi("Matrix");

export const MatrixStatsResponse = z.object({ stats: StatsByEval, total_traces: Count }).openapi("MatrixStats");

export function decodeMatrixCursor(cursor: string | undefined): MatrixPosition | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const { created_at, trace_id } = decodeCursor(cursor, ["created_at", "trace_id"]);
  if (typeof created_at !== "string" || typeof trace_id !== "string") {
    throw validationError("Invalid cursor", [{ path: "cursor", message: "not a cursor this API issued" }]);
  }
  return { createdAt: created_at, traceId: trace_id };
}

function toEvalStatsJson(s: EvalStats, ref: EvalRef): z.infer<typeof EvalStatsSchema> {
  return {
    eval_id: s.evalId,
    eval_name: ref.name,
    total: s.total,
    n: s.n,
    accuracy: s.accuracy,
    precision: s.precision,
    recall: s.recall,
    f1_score: s.f1,
    cohen_kappa: s.cohenKappa,
    coverage: s.coverage,
    false_failure_rate: s.falseFailureRate,
    confusion_matrix: s.confusion,
    contradiction_count: s.contradictionCount,
    error_count: s.errorCount,
    neutral_count: s.neutralCount,
    pending_count: s.pendingCount,
    mean_latency_ms: s.meanLatencyMs,
  };
}

export function toMatrixStatsJson(result: {
  evals: EvalRef[];
  stats: MatrixStats;
}): z.infer<typeof MatrixStatsResponse> {
  const stats: Record<string, z.infer<typeof EvalStatsSchema>> = {};
  result.stats.evals.forEach((s, i) => {
    const ref = result.evals[i] ?? { id: s.evalId, name: "" };
    stats[s.evalId] = toEvalStatsJson(s, ref);
  });
  return { stats, total_traces: result.stats.total };
}

function toRowJson(row: MatrixPage["rows"][number]): z.infer<typeof MatrixRowSchema> {
  const predictions: Record<string, z.infer<typeof MatrixCellSchema> | null> = {};
  for (const [evalId, cell] of Object.entries(row.cells)) {
    predictions[evalId] = cell && {
      result: cell.pass,
      score: cell.score,
      reason: cell.reason,
      execution_time_ms: cell.executionTimeMs,
      error: cell.error,
      is_contradiction: cell.isContradiction,
    };
  }
  return {
    trace_id: row.traceId,
    trace_summary: {
      timestamp: row.trace.timestamp,
      input_preview: row.trace.inputPreview,
      output_preview: row.trace.outputPreview,
      source: row.trace.source,
    },
    human_feedback: { rating: row.label.rating, notes: row.label.notes, created_at: row.labelCreatedAt },
    predictions,
  };
}

export function toMatrixJson(page: MatrixPage): z.infer<typeof MatrixResponse> {
  const last = page.rows.at(-1);
  return {
    rows: page.rows.map(toRowJson),
    next_cursor:
      page.hasMore && last ? encodeCursor({ created_at: last.labelCreatedAt, trace_id: last.traceId }) : null,
    has_more: page.hasMore,
    ...toMatrixStatsJson(page),
  };
}
