import { and, asc, eq, gt, ne, or, type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { users, workspaceMembers } from "../db/schema";
import type { WorkspaceRole } from "../db/schema/enums";
import { alreadyExists, invalidState } from "../errors";
import { getMemberOrThrow, type MemberDetail, memberColumns, type Page, type PageInput, toPage } from "./internal";
import { requireOutranksOrEquals, requireRole } from "./roles";

export interface AddMemberInput {
  email: string;
  name?: string | undefined;
  role: WorkspaceRole;
}

/** Oldest first. Any member may see who else is in the workspace. */
export async function listMembers(ctx: Ctx, page: PageInput): Promise<Page<MemberDetail>> {
  const rows = await ctx.db
    .select(memberColumns)
    .from(workspaceMembers)
    .innerJoin(users, eq(users.id, workspaceMembers.userId))
    .where(
      and(
        eq(workspaceMembers.workspaceId, ctx.workspaceId),
        page.afterId ? gt(workspaceMembers.id, page.afterId) : undefined,
      ),
    )
    .orderBy(asc(workspaceMembers.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit);
}

/** The user with this e-mail, created on first sight (users are shared across workspaces). */
async function findOrCreateUser(ctx: Ctx, email: string, name: string | undefined) {
  const now = ctx.deps.clock.now();
  await ctx.db
    .insert(users)
    .values({ id: newId("user", now.getTime()), email, name: name ?? null, createdAt: now.toISOString() })
    .onConflictDoNothing({ target: users.email });
  const [user] = await ctx.db.select().from(users).where(eq(users.email, email)).limit(1);
  if (!user) {
    throw invalidState(`User ${email} could not be created`);
  }
  return user;
}

/**
 * Adds a user (created if new) to the caller's workspace.
 * @throws FORBIDDEN for members and when `role` outranks the caller; ALREADY_EXISTS if a member.
 */
export async function addMember(ctx: Ctx, input: AddMemberInput): Promise<MemberDetail> {
  requireRole(ctx.actor, "admin", "add members");
  requireOutranksOrEquals(ctx.actor, input.role, "add a member");
  const email = input.email.trim().toLowerCase();
  const user = await findOrCreateUser(ctx, email, input.name);
  const [existing] = await ctx.db
    .select({ id: workspaceMembers.id })
    .from(workspaceMembers)
    .where(and(eq(workspaceMembers.workspaceId, ctx.workspaceId), eq(workspaceMembers.userId, user.id)))
    .limit(1);
  if (existing) {
    throw alreadyExists("member", email);
  }
  const now = ctx.deps.clock.now();
  const member = {
    id: newId("member", now.getTime()),
    workspaceId: ctx.workspaceId,
    userId: user.id,
    role: input.role,
    createdAt: now.toISOString(),
  };
  await ctx.db.insert(workspaceMembers).values(member);
  return {
    id: member.id,
    userId: user.id,
    email: user.email,
    name: user.name,
    role: member.role,
    createdAt: member.createdAt,
  };
}

/**
 * True in SQL unless the row is this workspace's only owner. Checked inside the write itself, so
 * two concurrent demotions cannot leave a workspace without an owner.
 */
function isNotLastOwner(ctx: Ctx): SQL | undefined {
  const otherOwners = sql`(select count(*) from ${workspaceMembers} where ${workspaceMembers.workspaceId} = ${ctx.workspaceId} and ${workspaceMembers.role} = 'owner') > 1`;
  return or(ne(workspaceMembers.role, "owner"), otherOwners);
}

/** Checks shared by role changes and removals: who may touch the target member at all. */
async function getManageableMember(ctx: Ctx, memberId: string, action: string): Promise<MemberDetail> {
  requireRole(ctx.actor, "admin", action);
  const member = await getMemberOrThrow(ctx, memberId);
  requireOutranksOrEquals(ctx.actor, member.role, `${action} for a member`);
  return member;
}

/**
 * @throws NOT_FOUND for another workspace's member, FORBIDDEN (members; an admin touching an
 * owner or granting owner), INVALID_STATE when demoting the last owner.
 */
export async function updateMemberRole(
  ctx: Ctx,
  memberId: string,
  input: { role: WorkspaceRole },
): Promise<MemberDetail> {
  const member = await getManageableMember(ctx, memberId, "change roles");
  requireOutranksOrEquals(ctx.actor, input.role, "grant a role");
  const updated = await ctx.db
    .update(workspaceMembers)
    .set({ role: input.role })
    .where(
      and(
        eq(workspaceMembers.id, member.id),
        eq(workspaceMembers.workspaceId, ctx.workspaceId),
        input.role === "owner" ? undefined : isNotLastOwner(ctx),
      ),
    )
    .returning({ id: workspaceMembers.id });
  if (updated.length === 0) {
    throw invalidState("The last owner cannot be demoted: make another member owner first");
  }
  return { ...member, role: input.role };
}

/** @throws like {@link updateMemberRole}; INVALID_STATE when removing the last owner. */
export async function removeMember(ctx: Ctx, memberId: string): Promise<void> {
  const member = await getManageableMember(ctx, memberId, "remove members");
  const removed = await ctx.db
    .delete(workspaceMembers)
    .where(
      and(eq(workspaceMembers.id, member.id), eq(workspaceMembers.workspaceId, ctx.workspaceId), isNotLastOwner(ctx)),
    )
    .returning({ id: workspaceMembers.id });
  if (removed.length === 0) {
    throw invalidState("The last owner cannot be removed: make another member owner first");
  }
}
