import { createRoute } from "@hono/zod-openapi";
import { getTraceDetail, listTraces } from "../../traces";
import { errorResponses } from "../error-responses";
import { jsonContent } from "../openapi-content";
import { createRouter } from "../router";
import {
  decodeTraceCursor,
  ListTracesQuery,
  TraceDetailSchema,
  TraceIdParams,
  TracePageSchema,
  toTraceDetailJson,
  toTracePageJson,
} from "../traces.schemas";

const tags = ["traces"];

const listTracesRoute = createRoute({
  method: "get",
  path: "/api/traces",
  operationId: "listTraces",
  tags,
  summary: "List traces, newest import first, with filters and the filtered total",
  request: { query: ListTracesQuery },
  responses: { 200: jsonContent(TracePageSchema, "A page of traces"), ...errorResponses },
});

const getTraceRoute = createRoute({
  method: "get",
  path: "/api/traces/{id}",
  operationId: "getTraceDetail",
  tags,
  summary: "One trace: its spans, the view evals receive, its label and eval results",
  request: { params: TraceIdParams },
  responses: { 200: jsonContent(TraceDetailSchema, "The trace"), ...errorResponses },
});

export const traceReadRouter = createRouter()
  .openapi(listTracesRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await listTraces(c.var.ctx, {
      agentId: q.agent_id,
      agentVersionId: q.agent_version_id,
      source: q.source,
      ratings: q.rating,
      hasFeedback: q.has_feedback,
      dateFrom: q.date_from,
      dateTo: q.date_to,
      dateField: q.date_field,
      q: q.q,
      after: decodeTraceCursor(q.cursor),
      limit: q.limit,
    });
    return c.json(toTracePageJson(page), 200);
  })
  .openapi(getTraceRoute, async (c) => {
    return c.json(toTraceDetailJson(await getTraceDetail(c.var.ctx, c.req.valid("param").id)), 200);
  });
