import { and, eq, inArray } from "drizzle-orm";
import { getAgentOrThrow } from "../agents";
import type { Ctx } from "../context";
import { type Eval, evals } from "../db/schema";
import { notFound } from "../errors";

/** An eval of the caller's workspace; another workspace's eval is a plain 404. */
export async function getEvalOrThrow(ctx: Ctx, evalId: string): Promise<Eval> {
  const [row] = await ctx.db
    .select()
    .from(evals)
    .where(and(eq(evals.id, evalId), eq(evals.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    throw notFound("eval", evalId);
  }
  return row;
}

export interface EvalRef {
  id: string;
  name: string;
}

/**
 * The agent (of this workspace) and the requested evals, in the requested order.
 * @throws NOT_FOUND for the agent, or for the first eval that is not one of this agent's.
 */
export async function getAgentEvalsOrThrow(ctx: Ctx, agentId: string, evalIds: string[]): Promise<EvalRef[]> {
  await getAgentOrThrow(ctx, agentId);
  const rows = await ctx.db
    .select({ id: evals.id, name: evals.name })
    .from(evals)
    .where(and(eq(evals.workspaceId, ctx.workspaceId), eq(evals.agentId, agentId), inArray(evals.id, evalIds)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return evalIds.map((id) => {
    const row = byId.get(id);
    if (!row) {
      throw notFound("eval", id);
    }
    return row;
  });
}
