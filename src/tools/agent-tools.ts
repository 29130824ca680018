import { and, asc, eq } from "drizzle-orm";
import { getAgentOrThrow } from "../agents";
import type { Ctx } from "../context";
import { agentTools, type Tool, tools } from "../db/schema";
import { alreadyExists, notFound } from "../errors";
import { getVisibleToolOrThrow, visibleTo } from "./tools";

export interface AttachedTool {
  tool: Tool;
  /** Per-agent settings of the tool (e.g. a default mailbox); null when none. */
  config: Record<string, unknown> | null;
  attachedAt: string;
}

/** The agent's tools, by tool id. @throws NOT_FOUND for an agent outside the workspace. */
export async function listAgentTools(ctx: Ctx, agentId: string): Promise<AttachedTool[]> {
  const agent = await getAgentOrThrow(ctx, agentId);
  const rows = await ctx.db
    .select({ tool: tools, config: agentTools.config, attachedAt: agentTools.createdAt })
    .from(agentTools)
    .innerJoin(tools, eq(tools.id, agentTools.toolId))
    .where(and(eq(agentTools.agentId, agent.id), visibleTo(ctx)))
    .orderBy(asc(tools.id));
  return rows.map((r) => ({ tool: r.tool, config: r.config ?? null, attachedAt: r.attachedAt }));
}

/**
 * @throws NOT_FOUND for an agent or tool the workspace cannot see, ALREADY_EXISTS when attached.
 */
export async function attachTool(
  ctx: Ctx,
  agentId: string,
  input: { toolId: string; config?: Record<string, unknown> | null | undefined },
): Promise<AttachedTool> {
  const agent = await getAgentOrThrow(ctx, agentId);
  const tool = await getVisibleToolOrThrow(ctx, input.toolId);
  const [existing] = await ctx.db
    .select({ toolId: agentTools.toolId })
    .from(agentTools)
    .where(and(eq(agentTools.agentId, agent.id), eq(agentTools.toolId, tool.id)))
    .limit(1);
  if (existing) {
    throw alreadyExists("tool attachment", `${tool.id} on agent ${agent.id}`);
  }
  const attachedAt = ctx.deps.clock.now().toISOString();
  const config = input.config ?? null;
  await ctx.db.insert(agentTools).values({ agentId: agent.id, toolId: tool.id, config, createdAt: attachedAt });
  return { tool, config, attachedAt };
}

/** @throws NOT_FOUND for an unknown agent or a tool that is not attached to it. */
export async function detachTool(ctx: Ctx, agentId: string, toolId: string): Promise<void> {
  const agent = await getAgentOrThrow(ctx, agentId);
  const [row] = await ctx.db
    .delete(agentTools)
    .where(and(eq(agentTools.agentId, agent.id), eq(agentTools.toolId, toolId)))
    .returning({ toolId: agentTools.toolId });
  if (!row) {
    throw notFound("tool attachment", `${toolId} on agent ${agent.id}`);
  }
}
