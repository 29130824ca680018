import { and, desc, eq, lt, or } from "drizzle-orm";
import { getAgentOrThrow } from "../agents";
import type { Ctx } from "../context";
import { type Eval, evals } from "../db/schema";
import type { EvalStatus } from "../db/schema/enums";
import { type Page, toPage } from "./internal";

/** A place in the newest-first list: the last row of the previous page. */
export interface EvalPosition {
  createdAt: string;
  id: string;
}

export interface ListEvalsInput {
  agentId?: string | undefined;
  status?: EvalStatus | undefined;
  after?: EvalPosition | undefined;
  limit: number;
}

/** The workspace's evals, newest first (created_at, then id). An unknown agent id lists nothing. */
export async function listEvals(ctx: Ctx, input: ListEvalsInput): Promise<Page<Eval>> {
  const { after } = input;
  const rows = await ctx.db
    .select()
    .from(evals)
    .where(
      and(
        eq(evals.workspaceId, ctx.workspaceId),
        input.agentId ? eq(evals.agentId, input.agentId) : undefined,
        input.status ? eq(evals.status, input.status) : undefined,
        after
          ? or(lt(evals.createdAt, after.createdAt), and(eq(evals.createdAt, after.createdAt), lt(evals.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(evals.createdAt), desc(evals.id))
    .limit(input.limit + 1);
  return toPage(rows, input.limit);
}

export interface ListAgentEvalsInput {
  /** The last version number of the previous page (newest first). */
  beforeVersion: number | undefined;
  limit: number;
}

/**
 * An agent's eval versions, newest first.
 * @throws NOT_FOUND for an agent outside the workspace.
 */
export async function listAgentEvals(ctx: Ctx, agentId: string, input: ListAgentEvalsInput): Promise<Page<Eval>> {
  const agent = await getAgentOrThrow(ctx, agentId);
  const rows = await ctx.db
    .select()
    .from(evals)
    .where(
      and(
        eq(evals.agentId, agent.id),
        eq(evals.workspaceId, ctx.workspaceId),
        input.beforeVersion === undefined ? undefined : lt(evals.version, input.beforeVersion),
      ),
    )
    .orderBy(desc(evals.version))
    .limit(input.limit + 1);
  return toPage(rows, input.limit);
}
