import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { evalExecutions, feedback, traces } from "../db/schema";
import type { FeedbackRating, TraceSource } from "../db/schema/enums";
import { type EvalRef, getAgentEvalsOrThrow } from "./internal";
import { executionAlias, joinExecutions, type MatrixFilters, matrixRowsWhere } from "./query";
import { computeMatrixStats, type MatrixStats } from "./stats";

/** A place in the matrix order (label created_at, trace id): the last row of the previous page. */
export interface MatrixPosition {
  createdAt: string;
  traceId: string;
}

export interface MatrixInput {
  agentId: string;
  evalIds: string[];
  filters: MatrixFilters;
  after?: MatrixPosition | undefined;
  limit: number;
}

export interface MatrixCell {
  /** The eval's verdict; null when the execution failed. */
  pass: boolean | null;
  score: number | null;
  reason: string | null;
  executionTimeMs: number | null;
  error: string | null;
  isContradiction: boolean;
}

export interface MatrixRow {
  traceId: string;
  labelCreatedAt: string;
  trace: { timestamp: string; inputPreview: string | null; outputPreview: string | null; source: TraceSource };
  label: { rating: FeedbackRating; notes: string | null };
  /** Eval id → its current execution on this trace, or null when it has none yet. */
  cells: Record<string, MatrixCell | null>;
}

export interface MatrixPage {
  evals: EvalRef[];
  rows: MatrixRow[];
  hasMore: boolean;
  stats: MatrixStats;
}

// D1 binds at most 100 parameters: trace ids per cell query, next to ≤ 10 eval ids and the workspace.
const TRACES_PER_CELL_QUERY = 80;

/** Human positive & verdict fail, or human negative & verdict pass. Neutral and errors never contradict. */
export function isContradiction(rating: FeedbackRating, pass: boolean | null): boolean {
  return (rating === "positive" && pass === false) || (rating === "negative" && pass === true);
}

/** One page of rows, filtered in SQL before the LIMIT so a filtered page is full. */
async function findPageRows(ctx: Ctx, input: MatrixInput) {
  const { agentId, evalIds, filters, after } = input;
  // Only the contradiction/error modes look at executions; the plain page reads labels and traces alone.
  const xs = filters.mode === "all" ? [] : evalIds.map((_, i) => executionAlias(i));
  const base = ctx.db
    .select({
      traceId: feedback.traceId,
      rating: feedback.rating,
      notes: feedback.notes,
      createdAt: feedback.createdAt,
      startedAt: traces.startedAt,
      importedAt: traces.importedAt,
      inputPreview: traces.inputPreview,
      outputPreview: traces.outputPreview,
      source: traces.source,
    })
    .from(feedback)
    .innerJoin(traces, and(eq(traces.id, feedback.traceId), eq(traces.workspaceId, ctx.workspaceId)))
    .$dynamic();
  const rows = await joinExecutions(base, xs, evalIds)
    .where(
      and(
        matrixRowsWhere(ctx, agentId, filters, xs),
        after ? sql`(${feedback.createdAt}, ${feedback.traceId}) > (${after.createdAt}, ${after.traceId})` : undefined,
      ),
    )
    .orderBy(asc(feedback.createdAt), asc(feedback.traceId))
    .limit(input.limit + 1);
  return { rows: rows.slice(0, input.limit), hasMore: rows.length > input.limit };
}

/** The current executions of `evalIds` on `traceIds`, keyed `traceId evalId`. */
async function findCells(ctx: Ctx, evalIds: string[], traceIds: string[]) {
  const found = new Map<string, Execution>();
  for (let i = 0; i < traceIds.length; i += TRACES_PER_CELL_QUERY) {
    const chunk = traceIds.slice(i, i + TRACES_PER_CELL_QUERY);
    const rows = await ctx.db
      .select()
      .from(evalExecutions)
      .where(
        and(
          eq(evalExecutions.workspaceId, ctx.workspaceId),
          inArray(evalExecutions.traceId, chunk),
          inArray(evalExecutions.evalId, evalIds),
        ),
      );
    for (const row of rows) {
      found.set(`${row.traceId} ${row.evalId}`, row);
    }
  }
  return found;
}

type PageRow = Awaited<ReturnType<typeof findPageRows>>["rows"][number];
type Execution = typeof evalExecutions.$inferSelect;

function toMatrixRow(r: PageRow, evalIds: string[], cells: Map<string, Execution>): MatrixRow {
  const rowCells: Record<string, MatrixCell | null> = {};
  for (const evalId of evalIds) {
    const x = cells.get(`${r.traceId} ${evalId}`);
    rowCells[evalId] = x
      ? {
          pass: x.predictedResult,
          score: x.score,
          reason: x.reason,
          executionTimeMs: x.executionTimeMs,
          error: x.error,
          isContradiction: isContradiction(r.rating, x.predictedResult),
        }
      : null;
  }
  return {
    traceId: r.traceId,
    labelCreatedAt: r.createdAt,
    trace: {
      timestamp: r.startedAt ?? r.importedAt,
      inputPreview: r.inputPreview,
      outputPreview: r.outputPreview,
      source: r.source,
    },
    label: { rating: r.rating, notes: r.notes },
    cells: rowCells,
  };
}

/**
 * Rows = the agents labeled traces (filters applied in SQL, then paged by (label created_at, trace
 * id)); columns = the requested evals; stats over the whole filtered set, not the page.
 * @throws NOT_FOUND for another workspace's agent, or an eval that is not this agent's.
 */
export async function getMatrix(ctx: Ctx, input: MatrixInput): Promise<MatrixPage> {
  const evalRefs = await getAgentEvalsOrThrow(ctx, input.agentId, input.evalIds);
  const [page, stats] = await Promise.all([
    findPageRows(ctx, input),
    computeMatrixStats(ctx, input.agentId, input.evalIds, input.filters),
  ]);
  const cells = await findCells(
    ctx,
    input.evalIds,
    page.rows.map((r) => r.traceId),
  );
  const rows = page.rows.map((r) => toMatrixRow(r, input.evalIds, cells));
  return { evals: evalRefs, rows, hasMore: page.hasMore, stats };
}

/** Stats only (no rows): the same figures as {@link getMatrix}'s `stats`. */
export async function getMatrixStats(
  ctx: Ctx,
  input: Omit<MatrixInput, "after" | "limit">,
): Promise<{ evals: EvalRef[]; stats: MatrixStats }> {
  const evalRefs = await getAgentEvalsOrThrow(ctx, input.agentId, input.evalIds);
  return { evals: evalRefs, stats: await computeMatrixStats(ctx, input.agentId, input.evalIds, input.filters) };
}
