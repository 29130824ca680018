import { createRoute } from "@hono/zod-openapi";
import {
  addMember,
  createWorkspace,
  getCurrentWorkspace,
  listMembers,
  removeMember,
  updateCurrentWorkspace,
  updateMemberRole,
} from "../workspaces";
import { ErrorBody, errorResponses } from "./error-responses";
import { idPageInput } from "./id-cursor";
import { createRouter } from "./router";
import {
  AddMemberBody,
  CreatedWorkspaceSchema,
  CreateWorkspaceBody,
  ListMembersQuery,
  MemberIdParams,
  MemberPage,
  MemberSchema,
  toCreatedWorkspaceJson,
  toMemberJson,
  toMemberPageJson,
  toWorkspaceJson,
  UpdateMemberBody,
  UpdateWorkspaceBody,
  WorkspaceSchema,
} from "./workspaces.schemas";

const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
const tags = ["workspaces"];
const CURRENT = "/api/workspaces/current";

const createWorkspaceRoute = createRoute({
  method: "post",
  path: "/api/workspaces",
  operationId: "createWorkspace",
  tags,
  summary: "Create a workspace; in key mode the response carries its first owner key, shown once",
  request: { body: body(CreateWorkspaceBody) },
  responses: { 201: json(CreatedWorkspaceSchema, "The new workspace"), ...errorResponses },
});

const getCurrentWorkspaceRoute = createRoute({
  method: "get",
  path: CURRENT,
  operationId: "getCurrentWorkspace",
  tags,
  summary: "The workspace the caller acts in (the API key's, or X-Workspace-Id in local mode)",
  responses: { 200: json(WorkspaceSchema, "The workspace"), ...errorResponses },
});

const updateCurrentWorkspaceRoute = createRoute({
  method: "patch",
  path: CURRENT,
  operationId: "updateCurrentWorkspace",
  tags,
  summary: "Rename the current workspace (owners and admins)",
  request: { body: body(UpdateWorkspaceBody) },
  responses: { 200: json(WorkspaceSchema, "The renamed workspace"), ...errorResponses },
});

const listMembersRoute = createRoute({
  method: "get",
  path: `${CURRENT}/members`,
  operationId: "listMembers",
  tags,
  summary: "List the current workspace's members, oldest first",
  request: { query: ListMembersQuery },
  responses: { 200: json(MemberPage, "A page of members"), ...errorResponses },
});

const addMemberRoute = createRoute({
  method: "post",
  path: `${CURRENT}/members`,
  operationId: "addMember",
  tags,
  summary: "Add a member by e-mail, creating the user if new (owners and admins)",
  request: { body: body(AddMemberBody) },
  responses: {
    201: json(MemberSchema, "The new member"),
    409: json(ErrorBody, "Already a member of this workspace"),
    ...errorResponses,
  },
});

const updateMemberRoleRoute = createRoute({
  method: "patch",
  path: `${CURRENT}/members/{id}`,
  operationId: "updateMemberRole",
  tags,
  summary: "Change a member's role; the last owner cannot be demoted (owners and admins)",
  request: { params: MemberIdParams, body: body(UpdateMemberBody) },
  responses: { 200: json(MemberSchema, "The member with the new role"), ...errorResponses },
});

const removeMemberRoute = createRoute({
  method: "delete",
  path: `${CURRENT}/members/{id}`,
  operationId: "removeMember",
  tags,
  summary: "Remove a member; the last owner cannot be removed (owners and admins)",
  request: { params: MemberIdParams },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

export const workspacesRouter = createRouter()
  .openapi(createWorkspaceRoute, async (c) => {
    const created = await createWorkspace(c.var.ctx, c.req.valid("json"));
    return c.json(toCreatedWorkspaceJson(created), 201);
  })
  .openapi(getCurrentWorkspaceRoute, async (c) => c.json(toWorkspaceJson(await getCurrentWorkspace(c.var.ctx)), 200))
  .openapi(updateCurrentWorkspaceRoute, async (c) => {
    const workspace = await updateCurrentWorkspace(c.var.ctx, c.req.valid("json"));
    return c.json(toWorkspaceJson(workspace), 200);
  })
  .openapi(listMembersRoute, async (c) => {
    const page = await listMembers(c.var.ctx, idPageInput(c.req.valid("query")));
    return c.json(toMemberPageJson(page), 200);
  })
  .openapi(addMemberRoute, async (c) => c.json(toMemberJson(await addMember(c.var.ctx, c.req.valid("json"))), 201))
  .openapi(updateMemberRoleRoute, async (c) => {
    const member = await updateMemberRole(c.var.ctx, c.req.valid("param").id, c.req.valid("json"));
    return c.json(toMemberJson(member), 200);
  })
  .openapi(removeMemberRoute, async (c) => {
    await removeMember(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  });
