import { createRoute } from "@hono/zod-openapi";
import {
  archiveAgent,
  confirmAgent,
  createAgent,
  getActivePrompt,
  getAgentDetail,
  listAgents,
  updateAgent,
} from "../agents";
import {
  AgentDetailSchema,
  AgentIdParams,
  AgentListSchema,
  AgentSchema,
  ConfirmAgentBody,
  CreateAgentBody,
  ListAgentsQuery,
  PromptSchema,
  toAgentDetailJson,
  toAgentJson,
  toAgentListJson,
  toPromptJson,
  UpdateAgentBody,
} from "./agents.schemas";
import { ErrorBody, errorResponses } from "./error-responses";
import { etagOf, ifNoneMatchHits } from "./etag";
import { idPageInput } from "./id-cursor";
import { jsonBody, jsonContent } from "./openapi-content";
import { createRouter } from "./router";

const tags = ["agents"];
const nameTaken = jsonContent(ErrorBody, "Another agent of the workspace has this name");
const ONE = "/api/agents/{id}";

const createAgentRoute = createRoute({
  method: "post",
  path: "/api/agents",
  operationId: "createAgent",
  tags,
  summary: "Create an agent (confirmed); names are unique in the workspace",
  request: { body: jsonBody(CreateAgentBody) },
  responses: { 201: jsonContent(AgentSchema, "The new agent"), 409: nameTaken, ...errorResponses },
});

const listAgentsRoute = createRoute({
  method: "get",
  path: "/api/agents",
  operationId: "listAgents",
  tags,
  summary: "List agents, newest first, with their active version and counts",
  request: { query: ListAgentsQuery },
  responses: { 200: jsonContent(AgentListSchema, "A page of agents"), ...errorResponses },
});

const getAgentRoute = createRoute({
  method: "get",
  path: ONE,
  operationId: "getAgentDetail",
  tags,
  summary: "One agent (archived too) with its versions and metrics",
  request: { params: AgentIdParams },
  responses: { 200: jsonContent(AgentDetailSchema, "The agent"), ...errorResponses },
});

const updateAgentRoute = createRoute({
  method: "patch",
  path: ONE,
  operationId: "updateAgent",
  tags,
  summary: "Rename an agent or change its description",
  request: { params: AgentIdParams, body: jsonBody(UpdateAgentBody) },
  responses: { 200: jsonContent(AgentSchema, "The agent"), 409: nameTaken, ...errorResponses },
});

const archiveAgentRoute = createRoute({
  method: "delete",
  path: ONE,
  operationId: "archiveAgent",
  tags,
  summary: "Archive an agent (soft delete: its versions, traces and labels stay)",
  request: { params: AgentIdParams },
  responses: { 204: { description: "Archived" }, ...errorResponses },
});

const confirmAgentRoute = createRoute({
  method: "post",
  path: `${ONE}/confirm`,
  operationId: "confirmAgent",
  tags,
  summary: "Accept a discovered agent, optionally renaming it",
  request: {
    params: AgentIdParams,
    body: { required: false, content: { "application/json": { schema: ConfirmAgentBody } } },
  },
  responses: { 200: jsonContent(AgentSchema, "The confirmed agent"), 409: nameTaken, ...errorResponses },
});

const getPromptRoute = createRoute({
  method: "get",
  path: `${ONE}/prompt`,
  operationId: "getActivePrompt",
  tags,
  summary: "The agent's active prompt, for agents that poll it (ETag; 304 on If-None-Match)",
  request: { params: AgentIdParams },
  responses: {
    200: jsonContent(PromptSchema, "The active prompt"),
    304: { description: "Unchanged since the ETag the caller sent" },
    ...errorResponses,
  },
});

export const agentsRouter = createRouter()
  .openapi(createAgentRoute, async (c) => {
    return c.json(toAgentJson(await createAgent(c.var.ctx, c.req.valid("json"))), 201);
  })
  .openapi(listAgentsRoute, async (c) => {
    const query = c.req.valid("query");
    const list = await listAgents(c.var.ctx, { ...idPageInput(query), includeArchived: query.include_archived });
    return c.json(toAgentListJson(list), 200);
  })
  .openapi(getAgentRoute, async (c) => {
    return c.json(toAgentDetailJson(await getAgentDetail(c.var.ctx, c.req.valid("param").id)), 200);
  })
  .openapi(updateAgentRoute, async (c) => {
    return c.json(toAgentJson(await updateAgent(c.var.ctx, c.req.valid("param").id, c.req.valid("json"))), 200);
  })
  .openapi(archiveAgentRoute, async (c) => {
    await archiveAgent(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(confirmAgentRoute, async (c) => {
    const agent = await confirmAgent(c.var.ctx, c.req.valid("param").id, c.req.valid("json") ?? {});
    return c.json(toAgentJson(agent), 200);
  })
  .openapi(getPromptRoute, async (c) => {
    const body = toPromptJson(await getActivePrompt(c.var.ctx, c.req.valid("param").id));
    const etag = await etagOf(body);
    c.header("ETag", etag);
    c.header("Cache-Control", "no-cache");
    return ifNoneMatchHits(c.req.header("If-None-Match"), etag) ? c.body(null, 304) : c.json(body, 200);
  });
