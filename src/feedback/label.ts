import { and, eq } from "drizzle-orm";
import { getAgentOrThrow } from "../agents";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type Feedback, feedback } from "../db/schema";
import type { FeedbackRating } from "../db/schema/enums";
import { invalidState, notFound } from "../errors";
import { syncExecutionLabels } from "../matrix/execution-labels";
import {
  actorName,
  assertTraceInWorkspace,
  getFeedbackOrThrow,
  historyFromCurrent,
  historyOfNewLabel,
} from "./internal";

export interface LabelTraceInput {
  traceId: string;
  rating: FeedbackRating;
  /** Omitted: a new label has no agent and an existing one keeps its agent. */
  agentId?: string | null | undefined;
  /** Omitted: a new label has no notes and an existing one keeps its notes. */
  notes?: string | null | undefined;
}

export interface LabelResult {
  feedback: Feedback;
  /** True when this call made the trace's label; false when it updated (or confirmed) the existing one. */
  created: boolean;
}

async function findLabelOfTrace(ctx: Ctx, traceId: string): Promise<Feedback | undefined> {
  const [row] = await ctx.db
    .select()
    .from(feedback)
    .where(and(eq(feedback.traceId, traceId), eq(feedback.workspaceId, ctx.workspaceId)))
    .limit(1);
  return row;
}

/**
 * Inserts the trace's label with its "created" history row, or returns undefined when a concurrent
 * request labelled the trace first (the unique trace_id makes the INSERT a no-op then).
 */
async function insertLabel(ctx: Ctx, input: LabelTraceInput): Promise<Feedback | undefined> {
  const now = ctx.deps.clock.now();
  const id = newId("feedback", now.getTime());
  const [inserted] = await ctx.db.batch([
    ctx.db
      .insert(feedback)
      .values({
        id,
        workspaceId: ctx.workspaceId,
        traceId: input.traceId,
        agentId: input.agentId ?? null,
        rating: input.rating,
        notes: input.notes ?? null,
        createdBy: actorName(ctx),
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      })
      .onConflictDoNothing({ target: feedback.traceId })
      .returning(),
    historyOfNewLabel(ctx, id),
    // The executions on the trace copy whichever label won (ours, or a concurrent one).
    syncExecutionLabels(ctx.db, ctx.workspaceId, [input.traceId]),
  ]);
  return inserted[0];
}

/** Writes the new values and their history row atomically; a call that changes nothing writes nothing. */
async function changeLabel(ctx: Ctx, current: Feedback, next: Pick<Feedback, "rating" | "notes" | "agentId">) {
  if (next.rating === current.rating && next.notes === current.notes && next.agentId === current.agentId) {
    return current;
  }
  const where = and(eq(feedback.id, current.id), eq(feedback.workspaceId, ctx.workspaceId));
  const [, updated] = await ctx.db.batch([
    historyFromCurrent(ctx, current.id, { change: "updated", rating: next.rating, notes: next.notes }),
    ctx.db
      .update(feedback)
      .set({ ...next, updatedAt: ctx.deps.clock.now().toISOString() })
      .where(where)
      .returning(),
    syncExecutionLabels(ctx.db, ctx.workspaceId, [current.traceId]),
  ]);
  const [row] = updated;
  if (!row) {
    throw notFound("feedback", current.id);
  }
  return row;
}

/**
 * The one label of a trace, created or updated (an upsert), with its history row. Other features
 * (score import) label through here too.
 * @throws NOT_FOUND when the trace or the agent is not in the workspace.
 */
export async function labelTrace(ctx: Ctx, input: LabelTraceInput): Promise<LabelResult> {
  await assertTraceInWorkspace(ctx, input.traceId);
  if (input.agentId) {
    await getAgentOrThrow(ctx, input.agentId);
  }
  const existing = await findLabelOfTrace(ctx, input.traceId);
  const inserted = existing ? undefined : await insertLabel(ctx, input);
  if (inserted) {
    return { feedback: inserted, created: true };
  }
  const current = existing ?? (await findLabelOfTrace(ctx, input.traceId));
  if (!current) {
    // Labelled and deleted again between our two reads: the caller may retry.
    throw invalidState(`The label of trace ${input.traceId} changed concurrently; retry`);
  }
  const next = {
    rating: input.rating,
    notes: input.notes === undefined ? current.notes : input.notes,
    agentId: input.agentId === undefined ? current.agentId : input.agentId,
  };
  return { feedback: await changeLabel(ctx, current, next), created: false };
}

export interface UpdateFeedbackInput {
  rating?: FeedbackRating | undefined;
  notes?: string | null | undefined;
}

/** @throws NOT_FOUND for a label outside the workspace. */
export async function updateFeedback(ctx: Ctx, feedbackId: string, input: UpdateFeedbackInput): Promise<Feedback> {
  const current = await getFeedbackOrThrow(ctx, feedbackId);
  return changeLabel(ctx, current, {
    rating: input.rating ?? current.rating,
    notes: input.notes === undefined ? current.notes : input.notes,
    agentId: current.agentId,
  });
}

/** Deletes the label; its history (with a final "deleted" row) stays. */
export async function deleteFeedback(ctx: Ctx, feedbackId: string): Promise<void> {
  const current = await getFeedbackOrThrow(ctx, feedbackId);
  await ctx.db.batch([
    historyFromCurrent(ctx, current.id, { change: "deleted", rating: null, notes: null }),
    ctx.db.delete(feedback).where(and(eq(feedback.id, current.id), eq(feedback.workspaceId, ctx.workspaceId))),
    syncExecutionLabels(ctx.db, ctx.workspaceId, [current.traceId]),
  ]);
}
