import type { Actor } from "../context";
import type { WorkspaceRole } from "../db/schema/enums";
import { forbidden } from "../errors";

const roleRank: Record<WorkspaceRole, number> = { member: 0, admin: 1, owner: 2 };

/** True when `role` is at least `required` in the order owner > admin > member. */
export function isRoleAtLeast(role: WorkspaceRole, required: WorkspaceRole): boolean {
  return roleRank[role] >= roleRank[required];
}

/** @throws FORBIDDEN unless the caller's role is at least `required`. */
export function requireRole(actor: Actor, required: WorkspaceRole, action: string): void {
  if (!isRoleAtLeast(actor.role, required)) {
    throw forbidden(`Only ${required}s and above can ${action}; this caller is a ${actor.role}`);
  }
}

/**
 * @throws FORBIDDEN when `role` outranks the caller. Nobody hands out, or takes away, more power
 * than they hold: an admin can neither mint an owner key nor demote, remove or revoke an owner.
 */
export function requireOutranksOrEquals(actor: Actor, role: WorkspaceRole, action: string): void {
  if (!isRoleAtLeast(actor.role, role)) {
    throw forbidden(`A ${actor.role} cannot ${action} with role ${role}`);
  }
}
