import { and, eq, ne } from "drizzle-orm";
import type { Actor, Ctx } from "../context";
import { type Integration, integrations } from "../db/schema";
import { alreadyExists, forbidden, notFound } from "../errors";
import { isRoleAtLeast } from "../workspaces";

/** @throws NOT_FOUND for a missing integration and for one of another workspace alike. */
export async function getIntegrationOrThrow(ctx: Ctx, id: string): Promise<Integration> {
  const [row] = await ctx.db
    .select()
    .from(integrations)
    .where(and(eq(integrations.id, id), eq(integrations.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    throw notFound("integration", id);
  }
  return row;
}

/** Names are unique per workspace (the unique index is only the safety net). @throws ALREADY_EXISTS */
export async function assertNameFree(ctx: Ctx, name: string, exceptId?: string): Promise<void> {
  const [row] = await ctx.db
    .select({ id: integrations.id })
    .from(integrations)
    .where(
      and(
        eq(integrations.workspaceId, ctx.workspaceId),
        eq(integrations.name, name),
        exceptId ? ne(integrations.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  if (row) {
    throw alreadyExists("integration", `named "${name}"`);
  }
}

/** Credentials are workspace-wide power: writing them takes an admin or an owner. @throws FORBIDDEN */
export function requireAdmin(actor: Actor, action: string): void {
  if (!isRoleAtLeast(actor.role, "admin")) {
    throw forbidden(`Only admins and owners can ${action}; this caller is a ${actor.role}`);
  }
}
