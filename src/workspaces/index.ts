export {
  type CreateApiKeyInput,
  type CreatedApiKey,
  createApiKey,
  listApiKeys,
  planCreateApiKey,
  revokeApiKey,
} from "./api-keys";
export type { MemberDetail, Page, PageInput } from "./internal";
export { type AddMemberInput, addMember, listMembers, removeMember, updateMemberRole } from "./members";
export { isRoleAtLeast } from "./roles";
export {
  type CreatedWorkspace,
  type CreateWorkspaceInput,
  createWorkspace,
  getCurrentWorkspace,
  listAllWorkspaces,
  planCreateWorkspace,
  type UnscopedCtx,
  updateCurrentWorkspace,
} from "./workspaces";
export { type PlannedWrite, runWritePlan, type WritePlan } from "./write-plan";
