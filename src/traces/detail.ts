import { and, desc, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import { agentVersions, evalExecutions, evals, type Feedback, feedback, traces } from "../db/schema";
import { notFound } from "../errors";
import { readStoredDocuments } from "./load";
import { buildTraceView, type CanonicalTrace, type TraceView } from "./model";
import { labelOfTrace, type TraceRow, toTraceRow, traceRowColumns, versionOfTrace } from "./rows";

/** One eval's current result on the trace. */
export interface TraceExecution {
  id: string;
  evalId: string;
  evalName: string;
  predictedResult: boolean | null;
  score: number | null;
  reason: string | null;
  error: string | null;
  executionTimeMs: number | null;
  executedAt: string;
}

export interface TraceDetail {
  row: TraceRow;
  trace: CanonicalTrace;
  view: TraceView;
  label: Feedback | null;
  executions: TraceExecution[];
}

/**
 * The list row of one trace.
 * @throws NOT_FOUND when the trace is not in the workspace.
 */
export async function getTraceRow(ctx: Ctx, id: string): Promise<TraceRow> {
  const [row] = await ctx.db
    .select(traceRowColumns)
    .from(traces)
    .leftJoin(agentVersions, versionOfTrace)
    .leftJoin(feedback, labelOfTrace)
    .where(and(eq(traces.id, id), eq(traces.workspaceId, ctx.workspaceId)));
  if (!row) {
    throw notFound("trace", id);
  }
  return toTraceRow(row);
}

/**
 * Everything about one trace: its row, the stored document, the view evals read, its label and the
 * eval results on it.
 * @throws NOT_FOUND when the trace is not in the workspace; CorruptTracePayloadError on a damaged payload.
 */
export async function getTraceDetail(ctx: Ctx, id: string): Promise<TraceDetail> {
  const mine = and(eq(traces.id, id), eq(traces.workspaceId, ctx.workspaceId));
  const [rows, labels, executions] = await ctx.db.batch([
    ctx.db
      .select(traceRowColumns)
      .from(traces)
      .leftJoin(agentVersions, versionOfTrace)
      .leftJoin(feedback, labelOfTrace)
      .where(mine),
    ctx.db
      .select()
      .from(feedback)
      .where(and(eq(feedback.traceId, id), eq(feedback.workspaceId, ctx.workspaceId))),
    ctx.db
      .select({
        id: evalExecutions.id,
        evalId: evalExecutions.evalId,
        evalName: evals.name,
        predictedResult: evalExecutions.predictedResult,
        score: evalExecutions.score,
        reason: evalExecutions.reason,
        error: evalExecutions.error,
        executionTimeMs: evalExecutions.executionTimeMs,
        executedAt: evalExecutions.executedAt,
      })
      .from(evalExecutions)
      .innerJoin(evals, eq(evals.id, evalExecutions.evalId))
      .where(and(eq(evalExecutions.traceId, id), eq(evalExecutions.workspaceId, ctx.workspaceId)))
      .orderBy(desc(evalExecutions.executedAt), desc(evalExecutions.id)),
  ]);
  const [row] = rows;
  const doc = row ? (await readStoredDocuments(ctx, [id])).get(id) : undefined;
  if (!row || !doc) {
    throw notFound("trace", id);
  }
  return {
    row: toTraceRow(row),
    trace: doc.trace,
    view: buildTraceView(doc.trace, id),
    label: labels[0] ?? null,
    executions,
  };
}
