import { and, eq, ne } from "drizzle-orm";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type Agent, agents } from "../db/schema";
import { alreadyExists, invalidState } from "../errors";
import { getAgentOrThrow } from "./internal";

export interface CreateAgentInput {
  name: string;
  description?: string | null | undefined;
}

export interface UpdateAgentInput {
  name?: string | undefined;
  description?: string | null | undefined;
}

/** @throws ALREADY_EXISTS when another agent of the workspace (archived ones included) has `name`. */
async function assertNameFree(ctx: Ctx, name: string, exceptAgentId?: string): Promise<void> {
  const [clash] = await ctx.db
    .select({ id: agents.id })
    .from(agents)
    .where(
      and(
        eq(agents.workspaceId, ctx.workspaceId),
        eq(agents.name, name),
        exceptAgentId ? ne(agents.id, exceptAgentId) : undefined,
      ),
    )
    .limit(1);
  if (clash) {
    throw alreadyExists("agent", `named "${name}"`);
  }
}

/** A hand-made agent starts `confirmed`: only discovery creates `discovered` ones. */
export async function createAgent(ctx: Ctx, input: CreateAgentInput): Promise<Agent> {
  await assertNameFree(ctx, input.name);
  const now = ctx.deps.clock.now();
  const [row] = await ctx.db
    .insert(agents)
    .values({
      id: newId("agent", now.getTime()),
      workspaceId: ctx.workspaceId,
      name: input.name,
      description: input.description ?? null,
      status: "confirmed",
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    })
    .returning();
  if (!row) {
    throw new Error("insert returned no agent row");
  }
  return row;
}

/** Updates the agent while it still has `status` (checked in the UPDATE, so a concurrent change loses). */
async function writeAgent(ctx: Ctx, agent: Agent, set: Partial<Agent>): Promise<Agent> {
  const [row] = await ctx.db
    .update(agents)
    .set({ ...set, updatedAt: ctx.deps.clock.now().toISOString() })
    .where(and(eq(agents.id, agent.id), eq(agents.workspaceId, ctx.workspaceId), eq(agents.status, agent.status)))
    .returning();
  if (!row) {
    const now = await getAgentOrThrow(ctx, agent.id);
    throw invalidState(`Agent ${agent.id} changed to ${now.status} meanwhile; retry`);
  }
  return row;
}

/** @throws NOT_FOUND, ALREADY_EXISTS on a name another agent has. */
export async function updateAgent(ctx: Ctx, agentId: string, input: UpdateAgentInput): Promise<Agent> {
  const agent = await getAgentOrThrow(ctx, agentId);
  if (input.name !== undefined && input.name !== agent.name) {
    await assertNameFree(ctx, input.name, agent.id);
  }
  const set: Partial<Agent> = {};
  if (input.name !== undefined) {
    set.name = input.name;
  }
  if (input.description !== undefined) {
    set.description = input.description;
  }
  return writeAgent(ctx, agent, set);
}

/** Soft delete: the agent, its versions, labels and traces stay; lists hide it. Idempotent. */
export async function archiveAgent(ctx: Ctx, agentId: string): Promise<void> {
  const agent = await getAgentOrThrow(ctx, agentId);
  if (agent.status !== "archived") {
    await writeAgent(ctx, agent, { status: "archived" });
  }
}

/**
 * Accepts a discovered agent (optionally renaming it).
 * @throws INVALID_STATE unless the agent is `discovered`, ALREADY_EXISTS on a taken name.
 */
export async function confirmAgent(ctx: Ctx, agentId: string, input: { name?: string | undefined }): Promise<Agent> {
  const agent = await getAgentOrThrow(ctx, agentId);
  if (agent.status !== "discovered") {
    throw invalidState(`Agent ${agentId} is ${agent.status}; only a discovered agent can be confirmed`);
  }
  if (input.name !== undefined && input.name !== agent.name) {
    await assertNameFree(ctx, input.name, agent.id);
  }
  return writeAgent(ctx, agent, { status: "confirmed", ...(input.name !== undefined ? { name: input.name } : {}) });
}
