import { and, count, eq, inArray, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { agentVersions, evals, feedback, tasksets, tasksetTasks, traces } from "../db/schema";
import { queryInChunks } from "./internal";

export interface FeedbackCounts {
  total: number;
  positive: number;
  negative: number;
  neutral: number;
}

export interface AgentCounts {
  traces: number;
  evals: number;
  tasks: number;
  feedback: FeedbackCounts;
}

/** Traces assigned to any version of each agent. */
async function countTraces(ctx: Ctx, agentIds: string[]) {
  return queryInChunks(agentIds, (chunk) =>
    ctx.db
      .select({ agentId: agentVersions.agentId, n: count() })
      .from(traces)
      .innerJoin(agentVersions, eq(agentVersions.id, traces.agentVersionId))
      .where(and(eq(traces.workspaceId, ctx.workspaceId), inArray(agentVersions.agentId, chunk)))
      .groupBy(agentVersions.agentId),
  );
}

async function countEvals(ctx: Ctx, agentIds: string[]) {
  return queryInChunks(agentIds, (chunk) =>
    ctx.db
      .select({ agentId: evals.agentId, n: count() })
      .from(evals)
      .where(and(eq(evals.workspaceId, ctx.workspaceId), inArray(evals.agentId, chunk)))
      .groupBy(evals.agentId),
  );
}

/** Tasks of the agents' active tasksets. */
async function countTasks(ctx: Ctx, agentIds: string[]) {
  return queryInChunks(agentIds, (chunk) =>
    ctx.db
      .select({ agentId: tasksets.agentId, n: count() })
      .from(tasksetTasks)
      .innerJoin(tasksets, eq(tasksets.id, tasksetTasks.tasksetId))
      .where(
        and(eq(tasksets.workspaceId, ctx.workspaceId), eq(tasksets.status, "active"), inArray(tasksets.agentId, chunk)),
      )
      .groupBy(tasksets.agentId),
  );
}

/**
 * A label counts for an agent when it names the agent, or names none and its trace is assigned to
 * one of the agent's versions (labels given before the agent existed still count).
 */
async function countFeedback(ctx: Ctx, agentIds: string[]) {
  const owner = sql<string>`coalesce(${feedback.agentId}, ${agentVersions.agentId})`;
  const ratingCount = (rating: string) => sql<number>`sum(case when ${feedback.rating} = ${rating} then 1 else 0 end)`;
  return queryInChunks(agentIds, (chunk) =>
    ctx.db
      .select({
        agentId: owner,
        total: count(),
        positive: ratingCount("positive"),
        negative: ratingCount("negative"),
        neutral: ratingCount("neutral"),
      })
      .from(feedback)
      .leftJoin(traces, eq(traces.id, feedback.traceId))
      .leftJoin(agentVersions, eq(agentVersions.id, traces.agentVersionId))
      .where(and(eq(feedback.workspaceId, ctx.workspaceId), inArray(owner, chunk)))
      .groupBy(owner),
  );
}

export function emptyCounts(): AgentCounts {
  return { traces: 0, evals: 0, tasks: 0, feedback: { total: 0, positive: 0, negative: 0, neutral: 0 } };
}

/** Counts for many agents in four grouped queries (not one query per agent); every id gets an entry. */
export async function countForAgents(ctx: Ctx, agentIds: string[]): Promise<Map<string, AgentCounts>> {
  const result = new Map(agentIds.map((id) => [id, emptyCounts()]));
  if (agentIds.length === 0) {
    return result;
  }
  const [traceRows, evalRows, taskRows, feedbackRows] = await Promise.all([
    countTraces(ctx, agentIds),
    countEvals(ctx, agentIds),
    countTasks(ctx, agentIds),
    countFeedback(ctx, agentIds),
  ]);
  for (const row of traceRows) {
    setCount(result, row.agentId, (c) => (c.traces = row.n));
  }
  for (const row of evalRows) {
    setCount(result, row.agentId, (c) => (c.evals = row.n));
  }
  for (const row of taskRows) {
    setCount(result, row.agentId, (c) => (c.tasks = row.n));
  }
  for (const { agentId, total, positive, negative, neutral } of feedbackRows) {
    // SQLite returns sum() of an empty group as null and may type it loosely: normalise to numbers.
    const feedback = { total, positive: Number(positive), negative: Number(negative), neutral: Number(neutral) };
    setCount(result, agentId, (c) => (c.feedback = feedback));
  }
  return result;
}

function setCount(counts: Map<string, AgentCounts>, agentId: string, set: (c: AgentCounts) => void): void {
  const entry = counts.get(agentId);
  if (entry) {
    set(entry);
  }
}
