import { and, count, desc, eq, inArray, lt, ne } from "drizzle-orm";
import type { Ctx } from "../context";
import { type Agent, type AgentVersion, agents, agentVersions } from "../db/schema";
import { type AgentCounts, countForAgents, emptyCounts } from "./counts";
import { type Page, queryInChunks, toPage } from "./internal";

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
    counts: counts.get(agent.id) ?? emptyCounts(),
  }));
  return { items, hasMore: page.hasMore, pendingDiscoveries };
}
