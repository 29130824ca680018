import { and, eq, inArray, isNull, ne, or, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { type AgentVersion, agents, agentVersions } from "../db/schema";
import type { AgentVersionStatus } from "../db/schema/enums";
import { invalidState } from "../errors";
import { getVersionOrThrow } from "./internal";

// A rejected version is never promoted; an archived one may come back (a rollback).
const PROMOTABLE = ["candidate", "archived"] as const satisfies readonly AgentVersionStatus[];
const REJECTABLE = ["candidate", "archived"] as const satisfies readonly AgentVersionStatus[];

/** SQL: the version `id` is (still) in one of `statuses`, checked inside the batch's transaction. */
function versionIn(id: string, statuses: readonly AgentVersionStatus[]) {
  const list = sql.join(
    statuses.map((s) => sql`${s}`),
    sql`, `,
  );
  return sql`exists (select 1 from agent_versions target where target.id = ${id} and target.status in (${list}))`;
}

/**
 * Makes version `n` the agent's one active version, in one atomic batch: the old active version is
 * archived, this one activated (stamped `promoted_at`), the agent repointed. Every statement
 * re-checks the state it relies on, so of concurrent promotions exactly one version ends active.
 * @throws NOT_FOUND, INVALID_STATE when the version is rejected or already active.
 */
export async function promoteVersion(ctx: Ctx, agentId: string, n: number): Promise<AgentVersion> {
  const version = await getVersionOrThrow(ctx, agentId, n);
  const now = ctx.deps.clock.now().toISOString();
  const [, activated] = await ctx.db.batch([
    ctx.db
      .update(agentVersions)
      .set({ status: "archived" })
      .where(
        and(
          eq(agentVersions.agentId, version.agentId),
          eq(agentVersions.status, "active"),
          ne(agentVersions.id, version.id),
          versionIn(version.id, PROMOTABLE),
        ),
      ),
    ctx.db
      .update(agentVersions)
      .set({ status: "active", promotedAt: now })
      .where(and(eq(agentVersions.id, version.id), inArray(agentVersions.status, PROMOTABLE)))
      .returning(),
    ctx.db
      .update(agents)
      .set({ activeVersionId: version.id, updatedAt: now })
      .where(
        and(
          eq(agents.id, version.agentId),
          eq(agents.workspaceId, ctx.workspaceId),
          // Only when this batch changed something: a refused promotion leaves the agent untouched.
          or(isNull(agents.activeVersionId), ne(agents.activeVersionId, version.id)),
          versionIn(version.id, ["active"]),
        ),
      ),
  ]);
  const [row] = activated;
  if (!row) {
    const current = await getVersionOrThrow(ctx, agentId, n);
    throw invalidState(`Version ${n} of agent ${agentId} is ${current.status} and cannot be promoted`);
  }
  return row;
}

/**
 * Marks version `n` rejected.
 * @throws NOT_FOUND, INVALID_STATE for the active version (promote another first) or a rejected one.
 */
export async function rejectVersion(ctx: Ctx, agentId: string, n: number): Promise<AgentVersion> {
  const version = await getVersionOrThrow(ctx, agentId, n);
  const [row] = await ctx.db
    .update(agentVersions)
    .set({ status: "rejected" })
    .where(and(eq(agentVersions.id, version.id), inArray(agentVersions.status, REJECTABLE)))
    .returning();
  if (!row) {
    const current = await getVersionOrThrow(ctx, agentId, n);
    throw invalidState(`Version ${n} of agent ${agentId} is ${current.status} and cannot be rejected`);
  }
  return row;
}
