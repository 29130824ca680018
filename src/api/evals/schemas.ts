import { z } from "@hono/zod-openapi";
import { evalStatus } from "../../db/schema/enums";
import { DEFAULT_MONITORING_THRESHOLDS, type Eval, type MonitoringThresholds, type Page } from "../../evals";
import { decodeVersionCursor } from "../agents.schemas";
import { IdParam } from "../api-keys.schemas";
import { Id } from "../feedback.schemas";
import { CursorPage, CursorQuery, encodeCursor } from "../pagination";
import { decodePosition, toPositionPageJson } from "../position-cursor";

const EvalName = z.string().trim().min(1).max(200);
const Description = z.string().max(5_000);
const ModelUsed = z.string().max(200);
/** Eval source: large enough for any hand-written or generated eval, small enough to compile per request. */
export const EvalCode = z
  .string()
  .min(1)
  .max(100_000)
  .openapi({ description: "JavaScript defining `evaluate(trace)` → `{ pass, score?, reason? }` or a boolean" });
const Rate = z.number().min(0).max(1);

export const MonitoringThresholdsSchema = z
  .object({
    min_accuracy: Rate,
    max_contradiction_rate: Rate,
    max_error_rate: Rate,
    min_executions: z.number().int().min(1).max(100_000),
  })
  .openapi("MonitoringThresholds");

const Metrics = {
  accuracy: z.number().nullable(),
  precision: z.number().nullable(),
  recall: z.number().nullable(),
  f1_score: z.number().nullable(),
  cohen_kappa: z.number().nullable(),
  coverage: z.number().nullable(),
  false_failure_rate: z.number().nullable(),
  execution_count: z.number().int(),
  contradiction_count: z.number().int(),
  error_count: z.number().int(),
  metrics_updated_at: z.string().nullable(),
};

/** What lists show: identity, settings and metrics, without the code. */
export const EvalSummarySchema = z
  .object({
    id: z.string(),
    agent_id: z.string(),
    version: z.number().int(),
    parent_eval_id: z.string().nullable(),
    name: z.string(),
    description: z.string().nullable(),
    model_used: z.string().nullable(),
    status: z.enum(evalStatus),
    ...Metrics,
    auto_execute_enabled: z.boolean(),
    auto_refine_enabled: z.boolean(),
    monitoring_thresholds: MonitoringThresholdsSchema.nullable().openapi({ description: "null: the defaults" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("EvalSummary");

export const EvalSchema = EvalSummarySchema.extend({
  code: z.string(),
  confusion_matrix: z.record(z.string(), z.number()).nullable(),
  test_results: z.record(z.string(), z.unknown()).nullable(),
}).openapi("Eval");

export const EvalPage = CursorPage("evals", EvalSummarySchema).openapi("EvalPage");

export const EvalIdParams = z.object({ id: IdParam });
export const AgentIdParams = z.object({ id: IdParam });

export const CreateEvalBody = z
  .object({
    agent_id: Id,
    name: EvalName,
    code: EvalCode,
    description: Description.nullable().optional(),
    model_used: ModelUsed.nullable().optional(),
  })
  .openapi("CreateEvalBody");

export const UpdateEvalBody = z
  .object({
    name: EvalName.optional(),
    description: Description.nullable().optional(),
    code: EvalCode.optional().openapi({ description: "A change resets the metrics and deletes the executions" }),
    model_used: ModelUsed.nullable().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "give at least one field")
  .openapi("UpdateEvalBody");

export const EvalSettingsBody = z
  .object({
    auto_execute_enabled: z.boolean().optional(),
    auto_refine_enabled: z.boolean().optional(),
    monitoring_thresholds: MonitoringThresholdsSchema.partial()
      .strict()
      .nullable()
      .optional()
      .openapi({ description: "Keys given replace the current values; null restores the defaults" }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), "give at least one setting")
  .openapi("EvalSettingsBody");

export const ListEvalsQuery = z.object({
  agent_id: Id.optional(),
  status: z.enum(evalStatus).optional(),
  ...CursorQuery,
});

export const ListAgentEvalsQuery = z.object(CursorQuery);
export const AgentEvalPage = CursorPage("evals", EvalSummarySchema).openapi("AgentEvalPage");

/** Stored thresholds over the defaults, so a partially stored object still reads whole. */
function toThresholdsJson(stored: Record<string, number> | null): MonitoringThresholds | null {
  if (stored === null) {
    return null;
  }
  const merged = { ...DEFAULT_MONITORING_THRESHOLDS, ...stored };
  const { min_accuracy, max_contradiction_rate, max_error_rate, min_executions } = merged;
  return { min_accuracy, max_contradiction_rate, max_error_rate, min_executions };
}

export function toEvalSummaryJson(e: Eval): z.infer<typeof EvalSummarySchema> {
  return {
    id: e.id,
    agent_id: e.agentId,
    version: e.version,
    parent_eval_id: e.parentEvalId,
    name: e.name,
    description: e.description,
    model_used: e.modelUsed,
    status: e.status,
    accuracy: e.accuracy,
    precision: e.precision,
    recall: e.recall,
    f1_score: e.f1Score,
    cohen_kappa: e.cohenKappa,
    coverage: e.coverage,
    false_failure_rate: e.falseFailureRate,
    execution_count: e.executionCount,
    contradiction_count: e.contradictionCount,
    error_count: e.errorCount,
    metrics_updated_at: e.metricsUpdatedAt,
    auto_execute_enabled: e.autoExecuteEnabled,
    auto_refine_enabled: e.autoRefineEnabled,
    monitoring_thresholds: toThresholdsJson(e.monitoringThresholds),
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}

export function toEvalJson(e: Eval): z.infer<typeof EvalSchema> {
  return {
    ...toEvalSummaryJson(e),
    code: e.code,
    confusion_matrix: e.confusionMatrix,
    test_results: e.testResults,
  };
}

export function toEvalPageJson(page: Page<Eval>) {
  return toPositionPageJson("evals", page, toEvalSummaryJson);
}

/** An agent's versions page on the version number, newest first. */
export function toAgentEvalPageJson(page: Page<Eval>) {
  const last = page.items.at(-1);
  return {
    evals: page.items.map(toEvalSummaryJson),
    next_cursor: page.hasMore && last ? encodeCursor({ version: last.version }) : null,
    has_more: page.hasMore,
  };
}

export { decodePosition, decodeVersionCursor };
