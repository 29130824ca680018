import { and, eq, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type Feedback, feedback, feedbackHistory, traces } from "../db/schema";
import type { FeedbackChange, FeedbackRating } from "../db/schema/enums";
import { notFound } from "../errors";

export async function getFeedbackOrThrow(ctx: Ctx, feedbackId: string): Promise<Feedback> {
  const [row] = await ctx.db
    .select()
    .from(feedback)
    .where(and(eq(feedback.id, feedbackId), eq(feedback.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    throw notFound("feedback", feedbackId);
  }
  return row;
}

export async function assertTraceInWorkspace(ctx: Ctx, traceId: string): Promise<void> {
  const [row] = await ctx.db
    .select({ id: traces.id })
    .from(traces)
    .where(and(eq(traces.id, traceId), eq(traces.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    throw notFound("trace", traceId);
  }
}

/** Who made a change: the API key id, or "local" in local mode. */
export function actorName(ctx: Ctx): string {
  return ctx.actor.apiKeyId ?? ctx.actor.kind;
}

export interface HistoryAfter {
  change: Exclude<FeedbackChange, "created">;
  rating: FeedbackRating | null;
  notes: string | null;
}

/**
 * An INSERT … SELECT that records the label's current values as "before". Run in the same batch as,
 * and before, the write it describes, so "before" is exactly what that write replaced.
 */
export function historyFromCurrent(ctx: Ctx, feedbackId: string, after: HistoryAfter) {
  const now = ctx.deps.clock.now();
  const text = (value: string | null) => sql<string | null>`${value}`;
  return ctx.db.insert(feedbackHistory).select(
    ctx.db
      .select({
        id: sql<string>`${newId("feedbackHistory", now.getTime())}`.as("id"),
        workspaceId: feedback.workspaceId,
        feedbackId: feedback.id,
        traceId: feedback.traceId,
        change: sql<FeedbackChange>`${after.change}`.as("change"),
        ratingBefore: sql<FeedbackRating>`${feedback.rating}`.as("rating_before"),
        ratingAfter: text(after.rating).as("rating_after"),
        notesBefore: sql<string | null>`${feedback.notes}`.as("notes_before"),
        notesAfter: text(after.notes).as("notes_after"),
        actor: sql<string>`${actorName(ctx)}`.as("actor"),
        createdAt: sql<string>`${now.toISOString()}`.as("created_at"),
      })
      .from(feedback)
      .where(and(eq(feedback.id, feedbackId), eq(feedback.workspaceId, ctx.workspaceId))),
  );
}
