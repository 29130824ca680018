import { z } from "@hono/zod-openapi";
import { workspaceRole } from "../db/schema/enums";
import type { CreatedWorkspace, MemberDetail } from "../workspaces";
import { CreatedApiKeySchema, IdParam, toCreatedApiKeyJson } from "./api-keys.schemas";
import { toIdPageJson } from "./id-cursor";
import { CursorPage, CursorQuery } from "./pagination";

const WorkspaceName = z.string().trim().min(1).max(200);

export const WorkspaceSchema = z
  .object({ id: z.string(), name: z.string(), created_at: z.string(), updated_at: z.string() })
  .openapi("Workspace");

export const CreateWorkspaceBody = z.object({ name: WorkspaceName }).openapi("CreateWorkspaceBody");
export const UpdateWorkspaceBody = z.object({ name: WorkspaceName }).openapi("UpdateWorkspaceBody");

export const CreatedWorkspaceSchema = z
  .object({
    workspace: WorkspaceSchema,
    api_key: CreatedApiKeySchema.optional().openapi({
      description: "Key mode only: a new owner key for the new workspace, shown once",
    }),
  })
  .openapi("CreatedWorkspace");

export const MemberSchema = z
  .object({
    id: z.string(),
    user_id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(workspaceRole),
    created_at: z.string(),
  })
  .openapi("Member");

export const MemberPage = CursorPage("members", MemberSchema).openapi("MemberPage");
export const ListMembersQuery = z.object(CursorQuery);
export const MemberIdParams = z.object({ id: IdParam });

export const AddMemberBody = z
  .object({
    email: z.email().max(320),
    name: z.string().trim().min(1).max(200).optional(),
    role: z.enum(workspaceRole).default("member"),
  })
  .openapi("AddMemberBody");

export const UpdateMemberBody = z.object({ role: z.enum(workspaceRole) }).openapi("UpdateMemberBody");

export function toWorkspaceJson(row: {
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
}): z.infer<typeof WorkspaceSchema> {
  return { id: row.id, name: row.name, created_at: row.createdAt, updated_at: row.updatedAt };
}

export function toCreatedWorkspaceJson(created: CreatedWorkspace): z.infer<typeof CreatedWorkspaceSchema> {
  const workspace = toWorkspaceJson(created.workspace);
  return created.apiKey ? { workspace, api_key: toCreatedApiKeyJson(created.apiKey) } : { workspace };
}

export function toMemberJson(member: MemberDetail): z.infer<typeof MemberSchema> {
  return {
    id: member.id,
    user_id: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    created_at: member.createdAt,
  };
}

export function toMemberPageJson(page: { items: MemberDetail[]; hasMore: boolean }): z.infer<typeof MemberPage> {
  return toIdPageJson("members", page, toMemberJson);
}
