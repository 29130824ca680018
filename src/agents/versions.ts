import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type AgentVersion, agents, agentVersions } from "../db/schema";
import type { AgentVersionSource } from "../db/schema/enums";
import { AppError } from "../errors";
import { getAgentOrThrow, getVersionOrThrow, type Page, toPage } from "./internal";
import { extractVariables } from "./template-match";

export interface CreateVersionInput {
  promptTemplate: string;
  /** Defaults to the `{{name}}` placeholders of the template, in order of appearance. */
  variables?: string[] | undefined;
  source?: AgentVersionSource | undefined;
}

export interface ListVersionsInput {
  /** The last version number of the previous page (newest first). */
  beforeVersion: number | undefined;
  limit: number;
}

/**
 * A new `candidate` version: number = the agent's highest + 1 and parent = its active version, both
 * computed inside the INSERT so concurrent creates cannot take the same number or a stale parent.
 */
export async function createVersion(ctx: Ctx, agentId: string, input: CreateVersionInput): Promise<AgentVersion> {
  const agent = await getAgentOrThrow(ctx, agentId);
  const now = ctx.deps.clock.now();
  const [row] = await ctx.db
    .insert(agentVersions)
    .values({
      id: newId("agentVersion", now.getTime()),
      agentId: agent.id,
      version: sql`(select coalesce(max(v.version), 0) + 1 from agent_versions v where v.agent_id = ${agent.id})`,
      promptTemplate: input.promptTemplate,
      variables: input.variables ? [...new Set(input.variables)] : extractVariables(input.promptTemplate),
      source: input.source ?? "manual",
      parentVersionId: sql`(select a.active_version_id from agents a where a.id = ${agent.id})`,
      status: "candidate",
      createdAt: now.toISOString(),
    })
    .returning();
  if (!row) {
    throw new Error("insert returned no agent version row");
  }
  return row;
}

/** Newest version first. */
export async function listVersions(ctx: Ctx, agentId: string, input: ListVersionsInput): Promise<Page<AgentVersion>> {
  const agent = await getAgentOrThrow(ctx, agentId);
  const rows = await ctx.db
    .select()
    .from(agentVersions)
    .where(
      and(
        eq(agentVersions.agentId, agent.id),
        input.beforeVersion === undefined ? undefined : lt(agentVersions.version, input.beforeVersion),
      ),
    )
    .orderBy(desc(agentVersions.version))
    .limit(input.limit + 1);
  return toPage(rows, input.limit);
}

export async function getVersion(ctx: Ctx, agentId: string, version: number): Promise<AgentVersion> {
  return getVersionOrThrow(ctx, agentId, version);
}

export interface ActivePrompt {
  template: string;
  version: number;
  versionId: string;
  variables: string[];
  /** When the version became active. */
  updatedAt: string;
}

/**
 * The prompt an agent runs with now: what external agents poll (with ETags).
 * @throws NOT_FOUND for an unknown agent and for an agent without an active version.
 */
export async function getActivePrompt(ctx: Ctx, agentId: string): Promise<ActivePrompt> {
  const [row] = await ctx.db
    .select({ version: agentVersions })
    .from(agents)
    .innerJoin(agentVersions, eq(agentVersions.id, agents.activeVersionId))
    .where(and(eq(agents.id, agentId), eq(agents.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    await getAgentOrThrow(ctx, agentId);
    throw new AppError("NOT_FOUND", `agent ${agentId} has no active version`);
  }
  const v = row.version;
  return {
    template: v.promptTemplate,
    version: v.version,
    versionId: v.id,
    variables: v.variables,
    updatedAt: v.promotedAt ?? v.createdAt,
  };
}
