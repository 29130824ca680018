import { asc, eq, gt } from "drizzle-orm";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type Workspace, workspaces } from "../db/schema";
import { type CreatedApiKey, planApiKeyInsert } from "./api-keys";
import { getWorkspaceOrThrow, type Page, type PageInput, toPage } from "./internal";
import { requireRole } from "./roles";
import { runWritePlan, type WritePlan } from "./write-plan";

/** Creating a workspace happens outside any workspace, so it needs no `workspaceId`. */
export type UnscopedCtx = Pick<Ctx, "db" | "actor" | "deps">;

export interface CreateWorkspaceInput {
  name: string;
  /**
   * Mint an owner key for the new workspace. Defaults to true for API-key callers (a key is
   * bound to one workspace, so the new one would be unreachable without it), false in local mode.
   */
  issueOwnerKey?: boolean;
}

export interface CreatedWorkspace {
  workspace: Workspace;
  apiKey: CreatedApiKey | undefined;
}

export const OWNER_KEY_NAME = "Owner key";

/** The statements that create a workspace (and its first owner key) in one batch. */
export async function planCreateWorkspace(
  ctx: UnscopedCtx,
  input: CreateWorkspaceInput,
): Promise<WritePlan<CreatedWorkspace>> {
  const now = ctx.deps.clock.now();
  const workspace: Workspace = {
    id: newId("workspace", now.getTime()),
    name: input.name,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  const insertWorkspace = ctx.db.insert(workspaces).values(workspace);
  if (!(input.issueOwnerKey ?? ctx.actor.kind === "api_key")) {
    return { writes: [insertWorkspace], result: { workspace, apiKey: undefined } };
  }
  const key = await planApiKeyInsert(ctx, workspace.id, { name: OWNER_KEY_NAME, role: "owner" });
  return { writes: [insertWorkspace, ...key.writes], result: { workspace, apiKey: key.result } };
}

export async function createWorkspace(ctx: UnscopedCtx, input: CreateWorkspaceInput): Promise<CreatedWorkspace> {
  return runWritePlan(ctx.db, await planCreateWorkspace(ctx, input));
}

export async function getCurrentWorkspace(ctx: Ctx): Promise<Workspace> {
  return getWorkspaceOrThrow(ctx.db, ctx.workspaceId);
}

/** @throws FORBIDDEN for members. */
export async function updateCurrentWorkspace(ctx: Ctx, input: { name: string }): Promise<Workspace> {
  requireRole(ctx.actor, "admin", "rename the workspace");
  const [row] = await ctx.db
    .update(workspaces)
    .set({ name: input.name, updatedAt: ctx.deps.clock.now().toISOString() })
    .where(eq(workspaces.id, ctx.workspaceId))
    .returning();
  return row ?? getWorkspaceOrThrow(ctx.db, ctx.workspaceId);
}

/**
 * Every workspace, oldest first. Operator-only: the CLI calls it with direct database access;
 * no HTTP route reaches it, because no API caller may see other workspaces.
 */
export async function listAllWorkspaces(ctx: UnscopedCtx, page: PageInput): Promise<Page<Workspace>> {
  const rows = await ctx.db
    .select()
    .from(workspaces)
    .where(page.afterId ? gt(workspaces.id, page.afterId) : undefined)
    .orderBy(asc(workspaces.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit);
}
