import { createRoute } from "@hono/zod-openapi";
import { getMatrix, getMatrixStats, type MatrixFilters } from "../matrix";
import { errorResponses } from "./error-responses";
import {
  AgentIdParams,
  decodeMatrixCursor,
  MatrixQuery,
  MatrixResponse,
  MatrixStatsQuery,
  MatrixStatsResponse,
  toMatrixJson,
  toMatrixStatsJson,
} from "./matrix.schemas";
import { jsonContent } from "./openapi-content";
import { createRouter } from "./router";

const tags = ["matrix"];

const getMatrixRoute = createRoute({
  method: "get",
  path: "/api/agents/{id}/matrix",
  operationId: "getMatrix",
  tags,
  summary: "Evals vs human labels: the agent's labeled traces × the requested evals, with agreement stats",
  description:
    "Rows are ordered by (label created_at, trace id); filters apply before pagination and `stats` cover the whole filtered set.",
  request: { params: AgentIdParams, query: MatrixQuery },
  responses: {
    200: jsonContent(MatrixResponse, "A page of rows and the stats of the filtered set"),
    ...errorResponses,
  },
});

const getMatrixStatsRoute = createRoute({
  method: "get",
  path: "/api/agents/{id}/matrix/stats",
  operationId: "getMatrixStats",
  tags,
  summary: "The matrix's agreement stats only (no rows)",
  request: { params: AgentIdParams, query: MatrixStatsQuery },
  responses: { 200: jsonContent(MatrixStatsResponse, "Stats of the filtered set"), ...errorResponses },
});

function filtersOf(q: {
  filter: MatrixFilters["mode"];
  rating?: MatrixFilters["ratings"];
  date_from?: string;
  date_to?: string;
}) {
  return { mode: q.filter, ratings: q.rating, dateFrom: q.date_from, dateTo: q.date_to };
}

export const matrixRouter = createRouter()
  .openapi(getMatrixRoute, async (c) => {
    const q = c.req.valid("query");
    const page = await getMatrix(c.var.ctx, {
      agentId: c.req.valid("param").id,
      evalIds: q.eval_ids,
      filters: filtersOf(q),
      after: decodeMatrixCursor(q.cursor),
      limit: q.limit,
    });
    return c.json(toMatrixJson(page), 200);
  })
  .openapi(getMatrixStatsRoute, async (c) => {
    const q = c.req.valid("query");
    const input = { agentId: c.req.valid("param").id, evalIds: q.eval_ids, filters: filtersOf(q) };
    return c.json(toMatrixStatsJson(await getMatrixStats(c.var.ctx, input)), 200);
  });
