import { and, desc, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Ctx } from "../context";
import { type EvalExecution, evalExecutions, evals, feedback, traces } from "../db/schema";
import type { FeedbackRating, TraceSource } from "../db/schema/enums";
import { notFound } from "../errors";
import { isContradiction } from "./contradiction";
import { getEvalOrThrow, type Page, toPage } from "./internal";

/** A place in the newest-first list of executions. */
export interface ExecutionPosition {
  executedAt: string;
  id: string;
}

export interface ListEvalExecutionsInput {
  /** The prediction: true = pass, false = fail (failed executions have neither). */
  result?: boolean | undefined;
  hasError?: boolean | undefined;
  after?: ExecutionPosition | undefined;
  limit: number;
}

export interface TraceSummary {
  startedAt: string | null;
  inputPreview: string | null;
  outputPreview: string | null;
  source: TraceSource;
}

export type ExecutionWithTrace = EvalExecution & { trace: TraceSummary };

/** An eval's current executions, newest first, each with its trace's summary. */
export async function listEvalExecutions(
  ctx: Ctx,
  evalId: string,
  input: ListEvalExecutionsInput,
): Promise<Page<ExecutionWithTrace>> {
  const row = await getEvalOrThrow(ctx, evalId);
  const { after } = input;
  const rows = await ctx.db
    .select({
      execution: evalExecutions,
      trace: {
        startedAt: traces.startedAt,
        inputPreview: traces.inputPreview,
        outputPreview: traces.outputPreview,
        source: traces.source,
      },
    })
    .from(evalExecutions)
    .innerJoin(traces, eq(traces.id, evalExecutions.traceId))
    .where(
      and(
        eq(evalExecutions.evalId, row.id),
        eq(evalExecutions.workspaceId, ctx.workspaceId),
        input.result === undefined ? undefined : eq(evalExecutions.predictedResult, input.result),
        input.hasError === undefined
          ? undefined
          : input.hasError
            ? isNotNull(evalExecutions.error)
            : isNull(evalExecutions.error),
        after
          ? or(
              lt(evalExecutions.executedAt, after.executedAt),
              and(eq(evalExecutions.executedAt, after.executedAt), lt(evalExecutions.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(evalExecutions.executedAt), desc(evalExecutions.id))
    .limit(input.limit + 1);
  return toPage(
    rows.map((r) => ({ ...r.execution, trace: r.trace })),
    input.limit,
  );
}

export type TraceExecution = EvalExecution & { evalName: string; evalVersion: number };

/**
 * Every eval's current execution on one trace, newest first (one per eval, so the list is short).
 * @throws NOT_FOUND for a trace outside the workspace.
 */
export async function listTraceExecutions(ctx: Ctx, traceId: string): Promise<TraceExecution[]> {
  const [trace] = await ctx.db
    .select({ id: traces.id })
    .from(traces)
    .where(and(eq(traces.id, traceId), eq(traces.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!trace) {
    throw notFound("trace", traceId);
  }
  const rows = await ctx.db
    .select({ execution: evalExecutions, evalName: evals.name, evalVersion: evals.version })
    .from(evalExecutions)
    .innerJoin(evals, eq(evals.id, evalExecutions.evalId))
    .where(and(eq(evalExecutions.traceId, trace.id), eq(evalExecutions.workspaceId, ctx.workspaceId)))
    .orderBy(desc(evalExecutions.executedAt), desc(evalExecutions.id));
  return rows.map((r) => ({ ...r.execution, evalName: r.evalName, evalVersion: r.evalVersion }));
}

export type ExecutionDetail = EvalExecution & {
  evalName: string;
  humanFeedback: { rating: FeedbackRating; notes: string | null } | null;
  isContradiction: boolean | null;
};

/**
 * The current execution of an eval on a trace, with the trace's label and whether they disagree.
 * @throws NOT_FOUND when the pair has no execution in the workspace.
 */
export async function getEvalExecution(ctx: Ctx, traceId: string, evalId: string): Promise<ExecutionDetail> {
  const [row] = await ctx.db
    .select({ execution: evalExecutions, evalName: evals.name, rating: feedback.rating, notes: feedback.notes })
    .from(evalExecutions)
    .innerJoin(evals, eq(evals.id, evalExecutions.evalId))
    .leftJoin(feedback, eq(feedback.traceId, evalExecutions.traceId))
    .where(
      and(
        eq(evalExecutions.evalId, evalId),
        eq(evalExecutions.traceId, traceId),
        eq(evalExecutions.workspaceId, ctx.workspaceId),
      ),
    )
    .limit(1);
  if (!row) {
    throw notFound("eval execution", `${traceId}/${evalId}`);
  }
  const humanFeedback = row.rating === null ? null : { rating: row.rating, notes: row.notes };
  return {
    ...row.execution,
    evalName: row.evalName,
    humanFeedback,
    isContradiction: isContradiction(row.rating, row.execution.predictedResult),
  };
}
