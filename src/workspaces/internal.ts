import { and, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import type { Database } from "../db/client";
import { type ApiKey, apiKeys, users, type Workspace, workspaceMembers, workspaces } from "../db/schema";
import type { WorkspaceRole } from "../db/schema/enums";
import { notFound } from "../errors";

export { type Page, toPage } from "../db/page";

/** A membership with the user's identity: what member lists and member writes return. */
export interface MemberDetail {
  id: string;
  userId: string;
  email: string;
  name: string | null;
  role: WorkspaceRole;
  createdAt: string;
}

export const memberColumns = {
  id: workspaceMembers.id,
  userId: workspaceMembers.userId,
  email: users.email,
  name: users.name,
  role: workspaceMembers.role,
  createdAt: workspaceMembers.createdAt,
};

export async function getWorkspaceOrThrow(db: Database, workspaceId: string): Promise<Workspace> {
  const [row] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  if (!row) {
    throw notFound("workspace", workspaceId);
  }
  return row;
}

export async function getMemberOrThrow(ctx: Ctx, memberId: string): Promise<MemberDetail> {
  const [row] = await ctx.db
    .select(memberColumns)
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(and(eq(workspaceMembers.id, memberId), eq(workspaceMembers.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    throw notFound("member", memberId);
  }
  return row;
}

export async function getApiKeyOrThrow(ctx: Ctx, apiKeyId: string): Promise<ApiKey> {
  const [row] = await ctx.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, apiKeyId), eq(apiKeys.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    throw notFound("api key", apiKeyId);
  }
  return row;
}

/** Keyset pagination on time-sortable ids: `afterId` is the last id of the previous page. */
export interface PageInput {
  afterId: string | undefined;
  limit: number;
}
