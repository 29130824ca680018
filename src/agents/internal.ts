import { and, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import { MAX_BOUND_PARAMETERS } from "../db/chunk";
import { type Agent, type AgentVersion, agents, agentVersions } from "../db/schema";
import { notFound } from "../errors";

export async function getAgentOrThrow(ctx: Ctx, agentId: string): Promise<Agent> {
  const [row] = await ctx.db
    .select()
    .from(agents)
    .where(and(eq(agents.id, agentId), eq(agents.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    throw notFound("agent", agentId);
  }
  return row;
}

/** Version `version` (its number) of a workspace's agent; the agent is checked in the same query. */
export async function getVersionOrThrow(ctx: Ctx, agentId: string, version: number): Promise<AgentVersion> {
  const [row] = await ctx.db
    .select({ version: agentVersions })
    .from(agentVersions)
    .innerJoin(agents, eq(agents.id, agentVersions.agentId))
    .where(
      and(
        eq(agentVersions.agentId, agentId),
        eq(agentVersions.version, version),
        eq(agents.workspaceId, ctx.workspaceId),
      ),
    )
    .limit(1);
  if (!row) {
    throw notFound("agent version", `${agentId}/${version}`);
  }
  return row.version;
}

/** A version by id, only when its agent belongs to the caller's workspace. */
export async function getVersionByIdOrThrow(ctx: Ctx, versionId: string): Promise<AgentVersion> {
  const [row] = await ctx.db
    .select({ version: agentVersions })
    .from(agentVersions)
    .innerJoin(agents, eq(agents.id, agentVersions.agentId))
    .where(and(eq(agentVersions.id, versionId), eq(agents.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    throw notFound("agent version", versionId);
  }
  return row.version;
}

/** Keyset page: callers fetch `limit + 1` rows; the extra one only says whether more exist. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

export function toPage<T>(rows: T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}

// Leaves room for the other parameters of a query: D1 binds at most 100 per statement.
export const IDS_PER_QUERY = MAX_BOUND_PARAMETERS - 10;

/** Runs `query` over `ids` in groups small enough for D1 and concatenates the results. */
export async function queryInChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    results.push(...(await query(ids.slice(i, i + IDS_PER_QUERY))));
  }
  return results;
}
