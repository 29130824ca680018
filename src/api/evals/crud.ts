import { createRoute } from "@hono/zod-openapi";
import {
  createEval,
  deleteEval,
  getEval,
  listAgentEvals,
  listEvals,
  updateEval,
  updateEvalSettings,
} from "../../evals";
import { errorResponses } from "../error-responses";
import { jsonBody, jsonContent } from "../openapi-content";
import { createRouter } from "../router";
import {
  AgentEvalPage,
  AgentIdParams,
  CreateEvalBody,
  decodePosition,
  decodeVersionCursor,
  EvalIdParams,
  EvalPage,
  EvalSchema,
  EvalSettingsBody,
  ListAgentEvalsQuery,
  ListEvalsQuery,
  toAgentEvalPageJson,
  toEvalJson,
  toEvalPageJson,
  UpdateEvalBody,
} from "./schemas";

const tags = ["evals"];
const ONE = "/api/evals/{id}";

const createEvalRoute = createRoute({
  method: "post",
  path: "/api/evals",
  operationId: "createEval",
  tags,
  summary: "Create a draft eval (next version of the agent's evals); code that does not compile is a 400",
  request: { body: jsonBody(CreateEvalBody) },
  responses: { 201: jsonContent(EvalSchema, "The new eval"), ...errorResponses },
});

const listEvalsRoute = createRoute({
  method: "get",
  path: "/api/evals",
  operationId: "listEvals",
  tags,
  summary: "List evals, newest first, with their metrics",
  request: { query: ListEvalsQuery },
  responses: { 200: jsonContent(EvalPage, "A page of evals"), ...errorResponses },
});

const getEvalRoute = createRoute({
  method: "get",
  path: ONE,
  operationId: "getEval",
  tags,
  summary: "One eval with its code, metrics and test results",
  request: { params: EvalIdParams },
  responses: { 200: jsonContent(EvalSchema, "The eval"), ...errorResponses },
});

const updateEvalRoute = createRoute({
  method: "patch",
  path: ONE,
  operationId: "updateEval",
  tags,
  summary: "Rename or edit an eval; new code resets its metrics and deletes its executions",
  request: { params: EvalIdParams, body: jsonBody(UpdateEvalBody) },
  responses: { 200: jsonContent(EvalSchema, "The eval"), ...errorResponses },
});

const deleteEvalRoute = createRoute({
  method: "delete",
  path: ONE,
  operationId: "deleteEval",
  tags,
  summary: "Delete an eval with its executions, snapshots and alerts",
  request: { params: EvalIdParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses },
});

const settingsRoute = createRoute({
  method: "patch",
  path: `${ONE}/settings`,
  operationId: "updateEvalSettings",
  tags,
  summary: "Auto-execution on new traces, auto-refinement, and monitoring thresholds",
  request: { params: EvalIdParams, body: jsonBody(EvalSettingsBody) },
  responses: { 200: jsonContent(EvalSchema, "The eval"), ...errorResponses },
});

const listAgentEvalsRoute = createRoute({
  method: "get",
  path: "/api/agents/{id}/evals",
  operationId: "listAgentEvals",
  tags,
  summary: "An agent's eval versions, newest first",
  request: { params: AgentIdParams, query: ListAgentEvalsQuery },
  responses: { 200: jsonContent(AgentEvalPage, "A page of the agent's evals"), ...errorResponses },
});

export const evalCrudRouter = createRouter()
  .openapi(createEvalRoute, async (c) => {
    const { agent_id, name, code, description, model_used } = c.req.valid("json");
    const input = { agentId: agent_id, name, code, description, modelUsed: model_used };
    return c.json(toEvalJson(await createEval(c.var.ctx, input)), 201);
  })
  .openapi(listEvalsRoute, async (c) => {
    const { agent_id, status, cursor, limit } = c.req.valid("query");
    const input = { agentId: agent_id, status, after: decodePosition(cursor), limit };
    return c.json(toEvalPageJson(await listEvals(c.var.ctx, input)), 200);
  })
  .openapi(getEvalRoute, async (c) => {
    return c.json(toEvalJson(await getEval(c.var.ctx, c.req.valid("param").id)), 200);
  })
  .openapi(updateEvalRoute, async (c) => {
    const { name, description, code, model_used } = c.req.valid("json");
    const input = { name, description, code, modelUsed: model_used };
    return c.json(toEvalJson(await updateEval(c.var.ctx, c.req.valid("param").id, input)), 200);
  })
  .openapi(deleteEvalRoute, async (c) => {
    await deleteEval(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(settingsRoute, async (c) => {
    const body = c.req.valid("json");
    const input = {
      autoExecuteEnabled: body.auto_execute_enabled,
      autoRefineEnabled: body.auto_refine_enabled,
      monitoringThresholds: body.monitoring_thresholds,
    };
    return c.json(toEvalJson(await updateEvalSettings(c.var.ctx, c.req.valid("param").id, input)), 200);
  })
  .openapi(listAgentEvalsRoute, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const input = { beforeVersion: decodeVersionCursor(cursor), limit };
    return c.json(toAgentEvalPageJson(await listAgentEvals(c.var.ctx, c.req.valid("param").id, input)), 200);
  });
