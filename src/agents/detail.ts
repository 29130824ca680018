import { and, count, desc, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import { type Agent, type AgentVersion, agentVersions, evals } from "../db/schema";
import { type AgentCounts, countForAgents, emptyCounts } from "./counts";
import { getAgentOrThrow } from "./internal";

export interface AgentMetrics {
  traceCount: number;
  versionCount: number;
  feedbackCount: number;
  positiveCount: number;
  negativeCount: number;
  neutralCount: number;
  evalCount: number;
  taskCount: number;
  /** Of the agent's active eval, from its last matrix run; null without one. */
  accuracy: number | null;
  contradictionRate: number | null;
}

export interface AgentDetail extends Agent {
  activeVersion: AgentVersion | null;
  /** Newest first, at most {@link DETAIL_VERSIONS}; the versions list pages through the rest. */
  versions: AgentVersion[];
  metrics: AgentMetrics;
}

export const DETAIL_VERSIONS = 100;

interface ActiveEvalStats {
  accuracy: number | null;
  executions: number;
  contradictions: number;
}

async function activeEvalOf(ctx: Ctx, agentId: string): Promise<ActiveEvalStats | undefined> {
  const [row] = await ctx.db
    .select({ accuracy: evals.accuracy, executions: evals.executionCount, contradictions: evals.contradictionCount })
    .from(evals)
    .where(and(eq(evals.workspaceId, ctx.workspaceId), eq(evals.agentId, agentId), eq(evals.status, "active")))
    .orderBy(desc(evals.version))
    .limit(1);
  return row;
}

function toMetrics(counts: AgentCounts, versionCount: number, activeEval: ActiveEvalStats | undefined): AgentMetrics {
  const executions = activeEval?.executions ?? 0;
  return {
    traceCount: counts.traces,
    versionCount,
    feedbackCount: counts.feedback.total,
    positiveCount: counts.feedback.positive,
    negativeCount: counts.feedback.negative,
    neutralCount: counts.feedback.neutral,
    evalCount: counts.evals,
    taskCount: counts.tasks,
    accuracy: activeEval?.accuracy ?? null,
    contradictionRate: activeEval && executions > 0 ? activeEval.contradictions / executions : null,
  };
}

async function findVersion(ctx: Ctx, versionId: string | null): Promise<AgentVersion | null> {
  if (!versionId) {
    return null;
  }
  const [row] = await ctx.db.select().from(agentVersions).where(eq(agentVersions.id, versionId)).limit(1);
  return row ?? null;
}

/** The agent (archived ones too), its active version, its newest versions and its metrics. */
export async function getAgentDetail(ctx: Ctx, agentId: string): Promise<AgentDetail> {
  const agent = await getAgentOrThrow(ctx, agentId);
  const [versions, [versionCount], counts, activeEval, activeVersion] = await Promise.all([
    ctx.db
      .select()
      .from(agentVersions)
      .where(eq(agentVersions.agentId, agent.id))
      .orderBy(desc(agentVersions.version))
      .limit(DETAIL_VERSIONS),
    ctx.db.select({ n: count() }).from(agentVersions).where(eq(agentVersions.agentId, agent.id)),
    countForAgents(ctx, [agent.id]),
    activeEvalOf(ctx, agent.id),
    findVersion(ctx, agent.activeVersionId),
  ]);
  const metrics = toMetrics(counts.get(agent.id) ?? emptyCounts(), versionCount?.n ?? 0, activeEval);
  return { ...agent, activeVersion, versions, metrics };
}
