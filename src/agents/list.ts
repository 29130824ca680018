import { and, count, desc, eq, inArray, lt, ne } from "drizzle-orm";
import type { Ctx } from "../context";
import { type Agent, type AgentVersion, agents, agentVersions, evals } from "../db/schema";
import { type AgentCounts, countForAgents } from "./counts";
import { getAgentOrThrow, type Page, queryInChunks, toPage } from "./internal";

export interface ListAgentsInput {
  afterId: string | undefined;
  limit: number;
  includeArchived: boolean;
}

export interface AgentSummary extends Agent {
  activeVersion: AgentVersion | null;
  counts: AgentCounts;
}

export interface AgentList extends Page<AgentSummary> {
  /** Agents discovery proposed that nobody confirmed yet (the whole workspace, not this page). */
  pendingDiscoveries: number;
}

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

async function activeVersionsOf(ctx: Ctx, rows: Agent[]): Promise<Map<string, AgentVersion>> {
  const ids = rows.flatMap((a) => (a.activeVersionId ? [a.activeVersionId] : []));
  const versions = await queryInChunks(ids, (chunk) =>
    ctx.db.select().from(agentVersions).where(inArray(agentVersions.id, chunk)),
  );
  return new Map(versions.map((v) => [v.id, v]));
}

async function countPendingDiscoveries(ctx: Ctx): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(agents)
    .where(and(eq(agents.workspaceId, ctx.workspaceId), eq(agents.status, "discovered")));
  return row?.n ?? 0;
}

/** Newest first; archived agents only when asked for. */
export async function listAgents(ctx: Ctx, input: ListAgentsInput): Promise<AgentList> {
  const rows = await ctx.db
    .select()
    .from(agents)
    .where(
      and(
        eq(agents.workspaceId, ctx.workspaceId),
        input.includeArchived ? undefined : ne(agents.status, "archived"),
        input.afterId ? lt(agents.id, input.afterId) : undefined,
      ),
    )
    .orderBy(desc(agents.id))
    .limit(input.limit + 1);
  const page = toPage(rows, input.limit);
  const ids = page.items.map((a) => a.id);
  const [counts, active, pendingDiscoveries] = await Promise.all([
    countForAgents(ctx, ids),
    activeVersionsOf(ctx, page.items),
    countPendingDiscoveries(ctx),
  ]);
  const items = page.items.map((agent) => ({
    ...agent,
    activeVersion: (agent.activeVersionId && active.get(agent.activeVersionId)) || null,
    counts: counts.get(agent.id) ?? {
      traces: 0,
      evals: 0,
      tasks: 0,
      feedback: { total: 0, positive: 0, negative: 0, neutral: 0 },
    },
  }));
  return { items, hasMore: page.hasMore, pendingDiscoveries };
}

async function activeEvalOf(ctx: Ctx, agentId: string) {
  const [row] = await ctx.db
    .select({ accuracy: evals.accuracy, executions: evals.executionCount, contradictions: evals.contradictionCount })
    .from(evals)
    .where(and(eq(evals.workspaceId, ctx.workspaceId), eq(evals.agentId, agentId), eq(evals.status, "active")))
    .orderBy(desc(evals.version))
    .limit(1);
  return row;
}

function toMetrics(
  counts: AgentCounts | undefined,
  versionCount: number,
  activeEval: Awaited<ReturnType<typeof activeEvalOf>>,
): AgentMetrics {
  const feedback = counts?.feedback ?? { total: 0, positive: 0, negative: 0, neutral: 0 };
  return {
    traceCount: counts?.traces ?? 0,
    versionCount,
    feedbackCount: feedback.total,
    positiveCount: feedback.positive,
    negativeCount: feedback.negative,
    neutralCount: feedback.neutral,
    evalCount: counts?.evals ?? 0,
    taskCount: counts?.tasks ?? 0,
    accuracy: activeEval?.accuracy ?? null,
    contradictionRate:
      activeEval && activeEval.executions > 0 ? activeEval.contradictions / activeEval.executions : null,
  };
}

/** The agent (archived ones too), its active version, its newest versions and its metrics. */
export async function getAgentDetail(ctx: Ctx, agentId: string): Promise<AgentDetail> {
  const agent = await getAgentOrThrow(ctx, agentId);
  const [versions, [versionCount], counts, activeEval] = await Promise.all([
    ctx.db
      .select()
      .from(agentVersions)
      .where(eq(agentVersions.agentId, agent.id))
      .orderBy(desc(agentVersions.version))
      .limit(DETAIL_VERSIONS),
    ctx.db.select({ n: count() }).from(agentVersions).where(eq(agentVersions.agentId, agent.id)),
    countForAgents(ctx, [agent.id]),
    activeEvalOf(ctx, agent.id),
  ]);
  const activeVersion = versions.find((v) => v.id === agent.activeVersionId) ?? null;
  return {
    ...agent,
    activeVersion: activeVersion ?? (await activeVersionsOf(ctx, [agent])).get(agent.activeVersionId ?? "") ?? null,
    versions,
    metrics: toMetrics(counts.get(agent.id), versionCount?.n ?? 0, activeEval),
  };
}
