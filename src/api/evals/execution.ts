import { createRoute } from "@hono/zod-openapi";
import { executeEval, getEvalExecution, listEvalExecutions, listTraceExecutions, runPlayground } from "../../evals";
import { errorResponses } from "../error-responses";
import { jsonBody, jsonContent } from "../openapi-content";
import { createRouter } from "../router";
import {
  decodeExecutionCursor,
  EvalExecutionPage,
  ExecuteEvalBody,
  ExecuteEvalResponse,
  ExecutionDetailSchema,
  ExecutionPairParams,
  ListEvalExecutionsQuery,
  PlaygroundBody,
  PlaygroundResponse,
  TraceExecutionsSchema,
  TraceIdParams,
  toEvalExecutionPageJson,
  toExecuteResponseJson,
  toExecutionDetailJson,
  toPlaygroundJson,
  toTraceExecutionsJson,
} from "./execution.schemas";
import { EvalIdParams } from "./schemas";

const tags = ["evals"];

const executeEvalRoute = createRoute({
  method: "post",
  path: "/api/evals/{id}/execute",
  operationId: "executeEval",
  tags,
  summary: "Start a job running the eval over traces (explicit ids, or the agent's labeled / all / recent traces)",
  request: { params: EvalIdParams, body: jsonBody(ExecuteEvalBody) },
  responses: { 202: jsonContent(ExecuteEvalResponse, "The job was queued"), ...errorResponses },
});

const playgroundRoute = createRoute({
  method: "post",
  path: "/api/evals/{id}/playground",
  operationId: "runPlayground",
  tags,
  summary: "Dry-run code on up to 50 traces and compare with their labels; nothing is stored",
  request: { params: EvalIdParams, body: jsonBody(PlaygroundBody) },
  responses: { 200: jsonContent(PlaygroundResponse, "Per-trace results and a summary"), ...errorResponses },
});

const listEvalExecutionsRoute = createRoute({
  method: "get",
  path: "/api/evals/{id}/executions",
  operationId: "listEvalExecutions",
  tags,
  summary: "The eval's current executions, newest first",
  request: { params: EvalIdParams, query: ListEvalExecutionsQuery },
  responses: { 200: jsonContent(EvalExecutionPage, "A page of executions"), ...errorResponses },
});

const listTraceExecutionsRoute = createRoute({
  method: "get",
  path: "/api/traces/{id}/executions",
  operationId: "listTraceExecutions",
  tags,
  summary: "Every eval's current execution on a trace",
  request: { params: TraceIdParams },
  responses: { 200: jsonContent(TraceExecutionsSchema, "The trace's executions"), ...errorResponses },
});

const getEvalExecutionRoute = createRoute({
  method: "get",
  path: "/api/eval-executions/{traceId}/{evalId}",
  operationId: "getEvalExecution",
  tags,
  summary: "An eval's execution on a trace with the human label, contradiction flag and console output",
  request: { params: ExecutionPairParams },
  responses: { 200: jsonContent(ExecutionDetailSchema, "The execution"), ...errorResponses },
});

export const evalExecutionRouter = createRouter()
  .openapi(executeEvalRoute, async (c) => {
    const { trace_ids, target, since, force } = c.req.valid("json");
    const input = { traceIds: trace_ids, target, since, force };
    return c.json(toExecuteResponseJson(await executeEval(c.var.ctx, c.req.valid("param").id, input)), 202);
  })
  .openapi(playgroundRoute, async (c) => {
    const { code, trace_ids } = c.req.valid("json");
    const run = await runPlayground(c.var.ctx, c.req.valid("param").id, { code, traceIds: trace_ids });
    return c.json(toPlaygroundJson(run), 200);
  })
  .openapi(listEvalExecutionsRoute, async (c) => {
    const { result, has_error, cursor, limit } = c.req.valid("query");
    const input = { result, hasError: has_error, after: decodeExecutionCursor(cursor), limit };
    return c.json(toEvalExecutionPageJson(await listEvalExecutions(c.var.ctx, c.req.valid("param").id, input)), 200);
  })
  .openapi(listTraceExecutionsRoute, async (c) => {
    return c.json(toTraceExecutionsJson(await listTraceExecutions(c.var.ctx, c.req.valid("param").id)), 200);
  })
  .openapi(getEvalExecutionRoute, async (c) => {
    const { traceId, evalId } = c.req.valid("param");
    return c.json(toExecutionDetailJson(await getEvalExecution(c.var.ctx, traceId, evalId)), 200);
  });
