import { createRoute } from "@hono/zod-openapi";
import { acknowledgeAlert, getEvalMetrics, getPerformanceTrend, listAlerts, resolveAlert } from "../monitoring";
import { errorResponses } from "./error-responses";
import {
  AlertPage,
  AlertParams,
  AlertSchema,
  AlertsQuery,
  decodeAlertCursor,
  EvalIdParams,
  EvalMetricsResponse,
  MetricsQuery,
  PerformanceTrendResponse,
  TrendQuery,
  toAlertJson,
  toAlertPageJson,
  toEvalMetricsJson,
  toTrendJson,
} from "./monitoring.schemas";
import { jsonContent } from "./openapi-content";
import { createRouter } from "./router";

const tags = ["monitoring"];
const ALERT = "/api/evals/{id}/alerts/{alertId}";

const getEvalMetricsRoute = createRoute({
  method: "get",
  path: "/api/evals/{id}/metrics",
  operationId: "getEvalMetrics",
  tags,
  summary: "An eval's executions over the last `window` days against human labels, computed live",
  request: { params: EvalIdParams, query: MetricsQuery },
  responses: { 200: jsonContent(EvalMetricsResponse, "Window metrics"), ...errorResponses },
});

const getPerformanceTrendRoute = createRoute({
  method: "get",
  path: "/api/evals/{id}/performance-trend",
  operationId: "getPerformanceTrend",
  tags,
  summary: "The eval's daily snapshots (written by the monitor job), oldest first",
  request: { params: EvalIdParams, query: TrendQuery },
  responses: { 200: jsonContent(PerformanceTrendResponse, "Daily snapshots"), ...errorResponses },
});

const listAlertsRoute = createRoute({
  method: "get",
  path: "/api/evals/{id}/alerts",
  operationId: "listAlerts",
  tags,
  summary: "The eval's performance alerts, newest first (open ones only unless `status=all`)",
  request: { params: EvalIdParams, query: AlertsQuery },
  responses: { 200: jsonContent(AlertPage, "A page of alerts"), ...errorResponses },
});

const acknowledgeAlertRoute = createRoute({
  method: "post",
  path: `${ALERT}/acknowledge`,
  operationId: "acknowledgeAlert",
  tags,
  summary: "Mark an alert seen (it stays open); repeating keeps the first acknowledgement",
  request: { params: AlertParams },
  responses: { 200: jsonContent(AlertSchema, "The alert"), ...errorResponses },
});

const resolveAlertRoute = createRoute({
  method: "post",
  path: `${ALERT}/resolve`,
  operationId: "resolveAlert",
  tags,
  summary: "Close an alert; the monitor opens a new one if the condition persists",
  request: { params: AlertParams },
  responses: { 200: jsonContent(AlertSchema, "The alert"), ...errorResponses },
});

export const monitoringRouter = createRouter()
  .openapi(getEvalMetricsRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(toEvalMetricsJson(await getEvalMetrics(c.var.ctx, id, c.req.valid("query").window)), 200);
  })
  .openapi(getPerformanceTrendRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { days } = c.req.valid("query");
    return c.json(toTrendJson(id, days, await getPerformanceTrend(c.var.ctx, id, days)), 200);
  })
  .openapi(listAlertsRoute, async (c) => {
    const { status, cursor, limit } = c.req.valid("query");
    const page = await listAlerts(c.var.ctx, c.req.valid("param").id, {
      status,
      after: decodeAlertCursor(cursor),
      limit,
    });
    return c.json(toAlertPageJson(page), 200);
  })
  .openapi(acknowledgeAlertRoute, async (c) => {
    const { id, alertId } = c.req.valid("param");
    return c.json(toAlertJson(await acknowledgeAlert(c.var.ctx, id, alertId)), 200);
  })
  .openapi(resolveAlertRoute, async (c) => {
    const { id, alertId } = c.req.valid("param");
    return c.json(toAlertJson(await resolveAlert(c.var.ctx, id, alertId)), 200);
  });
