import { and, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../context";
import { feedback } from "../db/schema";
import type { FeedbackRating } from "../db/schema/enums";
import { AppError } from "../errors";
import type { EvalOutcome } from "../sandbox";
import { loadTraceViews } from "../traces";
import type { TraceView } from "../traces/model";
import { isContradiction, isMatch } from "./contradiction";
import { getEvalOrThrow } from "./internal";

export interface PlaygroundInput {
  /** Defaults to the eval's stored code. */
  code?: string | undefined;
  traceIds: string[];
}

export interface PlaygroundResult {
  traceId: string;
  humanFeedback: FeedbackRating | null;
  pass: boolean | null;
  score: number | null;
  reason: string | null;
  isMatch: boolean | null;
  isContradiction: boolean | null;
  executionTimeMs: number;
  error: string | null;
  errorKind: string | null;
  console: string;
}

export interface PlaygroundSummary {
  total: number;
  matches: number;
  contradictions: number;
  errors: number;
  /** Mean of the results' `executionTimeMs`. */
  avgTimeMs: number;
}

export interface PlaygroundRun {
  results: PlaygroundResult[];
  summary: PlaygroundSummary;
}

async function loadViewsOrThrow(ctx: Ctx, ids: string[]): Promise<TraceView[]> {
  const views = await loadTraceViews(ctx, ids);
  const missing = ids.filter((id) => !views.has(id));
  if (missing.length > 0) {
    const details = missing.map((id) => ({ path: "trace_ids", message: `trace ${id} not found` }));
    throw new AppError("NOT_FOUND", `${missing.length} of the traces were not found`, details);
  }
  return ids.map((id) => views.get(id) as TraceView);
}

async function ratingsOf(ctx: Ctx, ids: string[]): Promise<Map<string, FeedbackRating>> {
  const rows = await ctx.db
    .select({ traceId: feedback.traceId, rating: feedback.rating })
    .from(feedback)
    .where(and(eq(feedback.workspaceId, ctx.workspaceId), inArray(feedback.traceId, ids)));
  return new Map(rows.map((r) => [r.traceId, r.rating]));
}

function toResult(traceId: string, rating: FeedbackRating | null, outcome: EvalOutcome): PlaygroundResult {
  const pass = outcome.ok ? outcome.pass : null;
  return {
    traceId,
    humanFeedback: rating,
    pass,
    score: outcome.ok ? outcome.score : null,
    reason: outcome.ok ? outcome.reason : null,
    isMatch: isMatch(rating, pass),
    isContradiction: isContradiction(rating, pass),
    executionTimeMs: Math.round(outcome.durationMs),
    error: outcome.ok ? null : outcome.error.message,
    errorKind: outcome.ok ? null : outcome.error.kind,
    console: outcome.console,
  };
}

export function summarize(results: PlaygroundResult[]): PlaygroundSummary {
  const totalMs = results.reduce((sum, r) => sum + r.executionTimeMs, 0);
  return {
    total: results.length,
    matches: results.filter((r) => r.isMatch === true).length,
    contradictions: results.filter((r) => r.isContradiction === true).length,
    errors: results.filter((r) => r.error !== null).length,
    avgTimeMs: results.length === 0 ? 0 : totalMs / results.length,
  };
}

/**
 * Dry-runs code (the eval's own, or a draft) over chosen traces of the workspace and compares each
 * verdict with the trace's label. Nothing is stored.
 * @throws NOT_FOUND for an eval, or any trace, outside the workspace.
 */
export async function runPlayground(ctx: Ctx, evalId: string, input: PlaygroundInput): Promise<PlaygroundRun> {
  const row = await getEvalOrThrow(ctx, evalId);
  const ids = [...new Set(input.traceIds)];
  const [views, ratings] = await Promise.all([loadViewsOrThrow(ctx, ids), ratingsOf(ctx, ids)]);
  const outcomes = await ctx.deps.sandbox.runMany(input.code ?? row.code, views);
  const results = ids.map((id, i) => toResult(id, ratings.get(id) ?? null, outcomes[i] as EvalOutcome));
  return { results, summary: summarize(results) };
}
