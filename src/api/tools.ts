import { createRoute } from "@hono/zod-openapi";
import { attachTool, createTool, deleteTool, detachTool, getTool, listAgentTools, listTools } from "../tools";
import { AgentIdParams } from "./agents.schemas";
import { ErrorBody, errorResponses } from "./error-responses";
import { idPageInput, toIdPageJson } from "./id-cursor";
import { jsonBody, jsonContent } from "./openapi-content";
import { createRouter } from "./router";
import {
  AgentToolList,
  AgentToolParams,
  AgentToolSchema,
  AttachToolBody,
  CreateToolBody,
  ListToolsQuery,
  ToolIdParams,
  ToolPage,
  ToolSchema,
  toAgentToolJson,
  toToolJson,
} from "./tools.schemas";

const tags = ["tools"];
const AGENT_TOOLS = "/api/agents/{id}/tools";

const listToolsRoute = createRoute({
  method: "get",
  path: "/api/tools",
  operationId: "listTools",
  tags,
  summary: "List the built-in tools and the workspace's own, by id",
  request: { query: ListToolsQuery },
  responses: { 200: jsonContent(ToolPage, "A page of tools"), ...errorResponses },
});

const getToolRoute = createRoute({
  method: "get",
  path: "/api/tools/{id}",
  operationId: "getTool",
  tags,
  summary: "One tool (built-in or the workspace's)",
  request: { params: ToolIdParams },
  responses: { 200: jsonContent(ToolSchema, "The tool"), ...errorResponses },
});

const createToolRoute = createRoute({
  method: "post",
  path: "/api/tools",
  operationId: "createTool",
  tags,
  summary: "Declare a tool of the workspace (name, description, JSON Schema of its arguments)",
  request: { body: jsonBody(CreateToolBody) },
  responses: {
    201: jsonContent(ToolSchema, "The new tool"),
    409: jsonContent(ErrorBody, "A visible tool already has this name"),
    ...errorResponses,
  },
});

const deleteToolRoute = createRoute({
  method: "delete",
  path: "/api/tools/{id}",
  operationId: "deleteTool",
  tags,
  summary: "Delete one of the workspace's tools (built-in tools are read-only: 403)",
  request: { params: ToolIdParams },
  responses: { 204: { description: "Deleted and detached from every agent" }, ...errorResponses },
});

const listAgentToolsRoute = createRoute({
  method: "get",
  path: AGENT_TOOLS,
  operationId: "listAgentTools",
  tags,
  summary: "The tools attached to an agent, with its per-agent config",
  request: { params: AgentIdParams },
  responses: { 200: jsonContent(AgentToolList, "The attached tools"), ...errorResponses },
});

const attachToolRoute = createRoute({
  method: "post",
  path: AGENT_TOOLS,
  operationId: "attachTool",
  tags,
  summary: "Attach a tool to an agent, with optional per-agent config",
  request: { params: AgentIdParams, body: jsonBody(AttachToolBody) },
  responses: {
    201: jsonContent(AgentToolSchema, "The attachment"),
    409: jsonContent(ErrorBody, "The tool is already attached"),
    ...errorResponses,
  },
});

const detachToolRoute = createRoute({
  method: "delete",
  path: `${AGENT_TOOLS}/{toolId}`,
  operationId: "detachTool",
  tags,
  summary: "Detach a tool from an agent",
  request: { params: AgentToolParams },
  responses: { 204: { description: "Detached" }, ...errorResponses },
});

export const toolsRouter = createRouter()
  .openapi(listToolsRoute, async (c) => {
    const query = c.req.valid("query");
    const page = await listTools(c.var.ctx, { ...idPageInput(query), category: query.category });
    return c.json(toIdPageJson("tools", page, toToolJson), 200);
  })
  .openapi(getToolRoute, async (c) => {
    return c.json(toToolJson(await getTool(c.var.ctx, c.req.valid("param").id)), 200);
  })
  .openapi(createToolRoute, async (c) => {
    const { name, description, parameters_schema, category } = c.req.valid("json");
    const tool = await createTool(c.var.ctx, { name, description, parametersSchema: parameters_schema, category });
    return c.json(toToolJson(tool), 201);
  })
  .openapi(deleteToolRoute, async (c) => {
    await deleteTool(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(listAgentToolsRoute, async (c) => {
    const attached = await listAgentTools(c.var.ctx, c.req.valid("param").id);
    return c.json({ tools: attached.map(toAgentToolJson) }, 200);
  })
  .openapi(attachToolRoute, async (c) => {
    const { tool_id, config } = c.req.valid("json");
    const attached = await attachTool(c.var.ctx, c.req.valid("param").id, { toolId: tool_id, config });
    return c.json(toAgentToolJson(attached), 201);
  })
  .openapi(detachToolRoute, async (c) => {
    const { id, toolId } = c.req.valid("param");
    await detachTool(c.var.ctx, id, toolId);
    return c.body(null, 204);
  });
