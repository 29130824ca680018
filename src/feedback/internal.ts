import { and, eq, type SQL, sql } from "drizzle-orm";
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

interface HistoryValues {
  ratingBefore: SQL;
  ratingAfter: SQL;
  notesBefore: SQL;
  notesAfter: SQL;
}

/** INSERT INTO feedback_history SELECT … FROM feedback: one row, only if the label exists. */
function historyInsert(ctx: Ctx, feedbackId: string, change: FeedbackChange, values: HistoryValues) {
  const now = ctx.deps.clock.now();
  return ctx.db.insert(feedbackHistory).select(
    ctx.db
      .select({
        id: sql<string>`${newId("feedbackHistory", now.getTime())}`.as("id"),
        workspaceId: feedback.workspaceId,
        feedbackId: feedback.id,
        traceId: feedback.traceId,
        change: sql<FeedbackChange>`${change}`.as("change"),
        ratingBefore: sql<FeedbackRating | null>`${values.ratingBefore}`.as("rating_before"),
        ratingAfter: sql<FeedbackRating | null>`${values.ratingAfter}`.as("rating_after"),
        notesBefore: sql<string | null>`${values.notesBefore}`.as("notes_before"),
        notesAfter: sql<string | null>`${values.notesAfter}`.as("notes_after"),
        actor: sql<string>`${actorName(ctx)}`.as("actor"),
        createdAt: sql<string>`${now.toISOString()}`.as("created_at"),
      })
      .from(feedback)
      .where(and(eq(feedback.id, feedbackId), eq(feedback.workspaceId, ctx.workspaceId))),
  );
}

/**
 * Records the label's current values as "before". Run in the same batch as, and before, the write
 * it describes, so "before" is exactly what that write replaced.
 */
export function historyFromCurrent(ctx: Ctx, feedbackId: string, after: HistoryAfter) {
  return historyInsert(ctx, feedbackId, after.change, {
    ratingBefore: sql`${feedback.rating}`,
    ratingAfter: sql`${after.rating}`,
    notesBefore: sql`${feedback.notes}`,
    notesAfter: sql`${after.notes}`,
  });
}

/**
 * Records a label as created. Run in the same batch as, and after, its INSERT … ON CONFLICT DO
 * NOTHING: when another request labelled the trace first, the label is absent and so is this row.
 */
export function historyOfNewLabel(ctx: Ctx, feedbackId: string) {
  return historyInsert(ctx, feedbackId, "created", {
    ratingBefore: sql`null`,
    ratingAfter: sql`${feedback.rating}`,
    notesBefore: sql`null`,
    notesAfter: sql`${feedback.notes}`,
  });
}
