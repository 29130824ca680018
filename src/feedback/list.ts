import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, lte, or, type SQL } from "drizzle-orm";
import type { Ctx } from "../context";
import { type Page, toPage } from "../db/page";
import { agentVersions, type Feedback, type FeedbackHistory, feedback, feedbackHistory, traces } from "../db/schema";
import type { FeedbackRating } from "../db/schema/enums";
import { notFound } from "../errors";
import { assertTraceInWorkspace, getFeedbackOrThrow } from "./internal";

/** Position in a list ordered by (created_at, id): the last row of the previous page. */
export interface Position {
  createdAt: string;
  id: string;
}

export interface ListFeedbackInput {
  traceId?: string | undefined;
  agentId?: string | undefined;
  ratings?: FeedbackRating[] | undefined;
  /** Inclusive bounds on `created_at` (ISO-8601). */
  createdFrom?: string | undefined;
  createdTo?: string | undefined;
  after?: Position | undefined;
  limit: number;
}

/**
 * Labels that name the agent, or name none and sit on a trace assigned to one of its versions: the
 * same rule as the agents' label counts.
 */
function ofAgent(ctx: Ctx, agentId: string): SQL | undefined {
  const assignedTraces = ctx.db
    .select({ id: traces.id })
    .from(traces)
    .innerJoin(agentVersions, eq(agentVersions.id, traces.agentVersionId))
    .where(and(eq(traces.workspaceId, ctx.workspaceId), eq(agentVersions.agentId, agentId)));
  return or(eq(feedback.agentId, agentId), and(isNull(feedback.agentId), inArray(feedback.traceId, assignedTraces)));
}

/** Newest first. Labels without an agent are listed like any other (scoped by their workspace). */
export async function listFeedback(ctx: Ctx, input: ListFeedbackInput): Promise<Page<Feedback>> {
  const after = input.after;
  const rows = await ctx.db
    .select()
    .from(feedback)
    .where(
      and(
        eq(feedback.workspaceId, ctx.workspaceId),
        input.traceId ? eq(feedback.traceId, input.traceId) : undefined,
        input.agentId ? ofAgent(ctx, input.agentId) : undefined,
        input.ratings?.length ? inArray(feedback.rating, input.ratings) : undefined,
        input.createdFrom ? gte(feedback.createdAt, input.createdFrom) : undefined,
        input.createdTo ? lte(feedback.createdAt, input.createdTo) : undefined,
        after
          ? or(
              lt(feedback.createdAt, after.createdAt),
              and(eq(feedback.createdAt, after.createdAt), lt(feedback.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(feedback.createdAt), desc(feedback.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit);
}

export async function getFeedback(ctx: Ctx, feedbackId: string): Promise<Feedback> {
  return getFeedbackOrThrow(ctx, feedbackId);
}

export interface HistoryInput {
  after?: Position | undefined;
  limit: number;
}

async function listHistory(ctx: Ctx, match: SQL | undefined, input: HistoryInput): Promise<Page<FeedbackHistory>> {
  const after = input.after;
  const rows = await ctx.db
    .select()
    .from(feedbackHistory)
    .where(
      and(
        eq(feedbackHistory.workspaceId, ctx.workspaceId),
        match,
        after
          ? or(
              gt(feedbackHistory.createdAt, after.createdAt),
              and(eq(feedbackHistory.createdAt, after.createdAt), gt(feedbackHistory.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(asc(feedbackHistory.createdAt), asc(feedbackHistory.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit);
}

/**
 * Every change of one label, oldest first. Still readable after the label was deleted.
 * @throws NOT_FOUND when the workspace never had this label.
 */
export async function listFeedbackHistory(
  ctx: Ctx,
  feedbackId: string,
  input: HistoryInput,
): Promise<Page<FeedbackHistory>> {
  const page = await listHistory(ctx, eq(feedbackHistory.feedbackId, feedbackId), input);
  if (page.items.length === 0 && !input.after) {
    throw notFound("feedback", feedbackId);
  }
  return page;
}

/** Every label change on a trace, across deleted and re-created labels, oldest first. */
export async function listTraceFeedbackHistory(
  ctx: Ctx,
  traceId: string,
  input: HistoryInput,
): Promise<Page<FeedbackHistory>> {
  await assertTraceInWorkspace(ctx, traceId);
  return listHistory(ctx, eq(feedbackHistory.traceId, traceId), input);
}
