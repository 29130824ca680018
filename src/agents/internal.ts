import { and, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import { type Agent, type AgentVersion, agents, agentVersions } from "../db/schema";
import { notFound } from "../errors";

export { IDS_PER_QUERY, queryInChunks } from "../db/chunk";
export { type Page, toPage } from "../db/page";

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
