import { createRoute } from "@hono/zod-openapi";
import {
  assignTrace,
  assignTracesToVersion,
  createVersion,
  getVersion,
  listVersions,
  promoteVersion,
  rejectVersion,
} from "../agents";
import {
  AgentIdParams,
  AgentVersionPage,
  AgentVersionSchema,
  AssignTraceBody,
  AssignTracesBody,
  AssignTracesResponse,
  CreateVersionBody,
  decodeVersionCursor,
  ListVersionsQuery,
  TraceAssignmentSchema,
  TraceIdParams,
  toTraceAssignmentJson,
  toVersionJson,
  toVersionPageJson,
  VersionParams,
} from "./agents.schemas";
import { errorResponses } from "./error-responses";
import { jsonBody, jsonContent } from "./openapi-content";
import { createRouter } from "./router";

const tags = ["agent-versions"];
const VERSIONS = "/api/agents/{id}/versions";
const ONE = `${VERSIONS}/{n}`;

const listVersionsRoute = createRoute({
  method: "get",
  path: VERSIONS,
  operationId: "listVersions",
  tags,
  summary: "List an agent's prompt versions, newest first",
  request: { params: AgentIdParams, query: ListVersionsQuery },
  responses: { 200: jsonContent(AgentVersionPage, "A page of versions"), ...errorResponses },
});

const createVersionRoute = createRoute({
  method: "post",
  path: VERSIONS,
  operationId: "createVersion",
  tags,
  summary: "Add a candidate version (next number; parent = the active version; variables from `{{name}}`)",
  request: { params: AgentIdParams, body: jsonBody(CreateVersionBody) },
  responses: { 201: jsonContent(AgentVersionSchema, "The new candidate"), ...errorResponses },
});

const getVersionRoute = createRoute({
  method: "get",
  path: ONE,
  operationId: "getVersion",
  tags,
  summary: "One version, by number",
  request: { params: VersionParams },
  responses: { 200: jsonContent(AgentVersionSchema, "The version"), ...errorResponses },
});

const promoteVersionRoute = createRoute({
  method: "post",
  path: `${ONE}/promote`,
  operationId: "promoteVersion",
  tags,
  summary: "Make this the active version, atomically archiving the previous one",
  request: { params: VersionParams },
  responses: { 200: jsonContent(AgentVersionSchema, "The now active version"), ...errorResponses },
});

const rejectVersionRoute = createRoute({
  method: "post",
  path: `${ONE}/reject`,
  operationId: "rejectVersion",
  tags,
  summary: "Reject a candidate (the active version cannot be rejected)",
  request: { params: VersionParams },
  responses: { 200: jsonContent(AgentVersionSchema, "The rejected version"), ...errorResponses },
});

const assignTracesRoute = createRoute({
  method: "post",
  path: `${ONE}/traces`,
  operationId: "assignTracesToVersion",
  tags,
  summary: "Assign up to 500 traces to this version by hand (all or none)",
  request: { params: VersionParams, body: jsonBody(AssignTracesBody) },
  responses: { 200: jsonContent(AssignTracesResponse, "The traces were assigned"), ...errorResponses },
});

const assignTraceRoute = createRoute({
  method: "post",
  path: "/api/traces/{id}/assign",
  operationId: "assignTrace",
  tags,
  summary: "Assign a trace to an agent version by hand, or unassign it with null",
  request: { params: TraceIdParams, body: jsonBody(AssignTraceBody) },
  responses: { 200: jsonContent(TraceAssignmentSchema, "The trace's assignment"), ...errorResponses },
});

export const agentVersionsRouter = createRouter()
  .openapi(listVersionsRoute, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const input = { beforeVersion: decodeVersionCursor(cursor), limit };
    return c.json(toVersionPageJson(await listVersions(c.var.ctx, c.req.valid("param").id, input)), 200);
  })
  .openapi(createVersionRoute, async (c) => {
    const { prompt_template, variables, source } = c.req.valid("json");
    const input = { promptTemplate: prompt_template, variables, source };
    return c.json(toVersionJson(await createVersion(c.var.ctx, c.req.valid("param").id, input)), 201);
  })
  .openapi(getVersionRoute, async (c) => {
    const { id, n } = c.req.valid("param");
    return c.json(toVersionJson(await getVersion(c.var.ctx, id, n)), 200);
  })
  .openapi(promoteVersionRoute, async (c) => {
    const { id, n } = c.req.valid("param");
    return c.json(toVersionJson(await promoteVersion(c.var.ctx, id, n)), 200);
  })
  .openapi(rejectVersionRoute, async (c) => {
    const { id, n } = c.req.valid("param");
    return c.json(toVersionJson(await rejectVersion(c.var.ctx, id, n)), 200);
  })
  .openapi(assignTracesRoute, async (c) => {
    const { id, n } = c.req.valid("param");
    const result = await assignTracesToVersion(c.var.ctx, id, n, c.req.valid("json").trace_ids);
    const body = { agent_version_id: result.version.id, version: result.version.version };
    return c.json({ ...body, assigned_count: result.assignedCount }, 200);
  })
  .openapi(assignTraceRoute, async (c) => {
    const assignment = await assignTrace(c.var.ctx, c.req.valid("param").id, c.req.valid("json").agent_version_id);
    return c.json(toTraceAssignmentJson(assignment), 200);
  });
