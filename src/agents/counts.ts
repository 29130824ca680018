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

const noFeedback: FeedbackCounts = { total: 0, positive: 0, negative: 0, neutral: 0 };

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

/** Counts for many agents in four grouped queries (not one query per agent). */
export async function countForAgents(ctx: Ctx, agentIds: string[]): Promise<Map<string, AgentCounts>> {
  const result = new Map<string, AgentCounts>(
    agentIds.map((id) => [id, { traces: 0, evals: 0, tasks: 0, feedback: { ...noFeedback } }]),
  );
  if (agentIds.length === 0) {
    return result;
  }
  const [traceRows, evalRows, taskRows, feedbackRows] = await Promise.all([
    countTraces(ctx, agentIds),
    countEvals(ctx, agentIds),
    countTasks(ctx, agentIds),
    countFeedback(ctx, agentIds),
  ]);
  const at = (id: string) => result.get(id) ?? { traces: 0, evals: 0, tasks: 0, feedback: { ...noFeedback } };
  for (const row of traceRows) {
    at(row.agentId).traces = row.n;
  }
  for (const row of evalRows) {
    at(row.agentId).evals = row.n;
  }
  for (const row of taskRows) {
    at(row.agentId).tasks = row.n;
  }
  for (const row of feedbackRows) {
    at(row.agentId).feedback = {
      total: row.total,
      positive: Number(row.positive),
      negative: Number(row.negative),
      neutral: Number(row.neutral),
    };
  }
  return result;
}
