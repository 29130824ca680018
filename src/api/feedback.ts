import { createRoute } from "@hono/zod-openapi";
import {
  deleteFeedback,
  getFeedback,
  labelTrace,
  listFeedback,
  listFeedbackHistory,
  listTraceFeedbackHistory,
  updateFeedback,
} from "../feedback";
import { errorResponses } from "./error-responses";
import {
  CreateFeedbackBody,
  FeedbackHistoryPage,
  FeedbackIdParams,
  FeedbackPage,
  FeedbackSchema,
  HistoryQuery,
  LabelResponse,
  ListFeedbackQuery,
  toFeedbackJson,
  toFeedbackPageJson,
  toHistoryPageJson,
  toLabelJson,
  UpdateFeedbackBody,
} from "./feedback.schemas";
import { jsonBody, jsonContent } from "./openapi-content";
import { decodePosition } from "./position-cursor";
import { createRouter } from "./router";

const tags = ["feedback"];
const ONE = "/api/feedback/{id}";

const labelTraceRoute = createRoute({
  method: "post",
  path: "/api/feedback",
  operationId: "labelTrace",
  tags,
  summary: "Label a trace (positive / negative / neutral): creates its one label or updates it",
  request: { body: jsonBody(CreateFeedbackBody) },
  responses: {
    201: jsonContent(LabelResponse, "The trace's new label"),
    200: jsonContent(LabelResponse, "The trace's existing label, updated"),
    ...errorResponses,
  },
});

const listFeedbackRoute = createRoute({
  method: "get",
  path: "/api/feedback",
  operationId: "listFeedback",
  tags,
  summary: "List labels, newest first; labels without an agent included",
  request: { query: ListFeedbackQuery },
  responses: { 200: jsonContent(FeedbackPage, "A page of labels"), ...errorResponses },
});

const getFeedbackRoute = createRoute({
  method: "get",
  path: ONE,
  operationId: "getFeedback",
  tags,
  summary: "One label",
  request: { params: FeedbackIdParams },
  responses: { 200: jsonContent(FeedbackSchema, "The label"), ...errorResponses },
});

const updateFeedbackRoute = createRoute({
  method: "patch",
  path: ONE,
  operationId: "updateFeedback",
  tags,
  summary: "Change a label's rating or notes (recorded in its history)",
  request: { params: FeedbackIdParams, body: jsonBody(UpdateFeedbackBody) },
  responses: { 200: jsonContent(FeedbackSchema, "The updated label"), ...errorResponses },
});

const deleteFeedbackRoute = createRoute({
  method: "delete",
  path: ONE,
  operationId: "deleteFeedback",
  tags,
  summary: "Delete a label; its history stays",
  request: { params: FeedbackIdParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses },
});

const listFeedbackHistoryRoute = createRoute({
  method: "get",
  path: `${ONE}/history`,
  operationId: "listFeedbackHistory",
  tags,
  summary: "Every change of a label (who, when, before and after), oldest first; kept after deletion",
  request: { params: FeedbackIdParams, query: HistoryQuery },
  responses: { 200: jsonContent(FeedbackHistoryPage, "A page of changes"), ...errorResponses },
});

const listTraceFeedbackHistoryRoute = createRoute({
  method: "get",
  path: "/api/traces/{id}/feedback-history",
  operationId: "listTraceFeedbackHistory",
  tags,
  summary: "Every label change on a trace, across deleted and re-created labels, oldest first",
  request: { params: FeedbackIdParams, query: HistoryQuery },
  responses: { 200: jsonContent(FeedbackHistoryPage, "A page of changes"), ...errorResponses },
});

export const feedbackRouter = createRouter()
  .openapi(labelTraceRoute, async (c) => {
    const { trace_id, rating, agent_id, notes } = c.req.valid("json");
    const result = await labelTrace(c.var.ctx, { traceId: trace_id, rating, agentId: agent_id, notes });
    return result.created ? c.json(toLabelJson(result), 201) : c.json(toLabelJson(result), 200);
  })
  .openapi(listFeedbackRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await listFeedback(c.var.ctx, {
      traceId: q.trace_id,
      agentId: q.agent_id,
      ratings: q.rating,
      createdFrom: q.date_from,
      createdTo: q.date_to,
      after: decodePosition(q.cursor),
      limit: q.limit,
    });
    return c.json(toFeedbackPageJson(page), 200);
  })
  .openapi(getFeedbackRoute, async (c) => {
    return c.json(toFeedbackJson(await getFeedback(c.var.ctx, c.req.valid("param").id)), 200);
  })
  .openapi(updateFeedbackRoute, async (c) => {
    const updated = await updateFeedback(c.var.ctx, c.req.valid("param").id, c.req.valid("json"));
    return c.json(toFeedbackJson(updated), 200);
  })
  .openapi(deleteFeedbackRoute, async (c) => {
    await deleteFeedback(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(listFeedbackHistoryRoute, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const page = await listFeedbackHistory(c.var.ctx, c.req.valid("param").id, {
      after: decodePosition(cursor),
      limit,
    });
    return c.json(toHistoryPageJson(page), 200);
  })
  .openapi(listTraceFeedbackHistoryRoute, async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const input = { after: decodePosition(cursor), limit };
    return c.json(toHistoryPageJson(await listTraceFeedbackHistory(c.var.ctx, c.req.valid("param").id, input)), 200);
  });
