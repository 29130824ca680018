import { createRoute, z } from "@hono/zod-openapi";
import { checkDatabase } from "../health/check-database";
import { errorResponses } from "./error-responses";
import { createRouter } from "./router";

const HealthBody = z.object({ status: z.literal("healthy") }).openapi("Health");
const ApiHealthBody = z
  .object({
    status: z.enum(["healthy", "unhealthy"]),
    timestamp: z.string(),
    checks: z.object({ database: z.object({ ok: z.boolean(), latency_ms: z.number() }) }),
  })
  .openapi("ApiHealth");

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  operationId: "health",
  tags: ["health"],
  summary: "Liveness: answers while the process serves requests",
  responses: { 200: { description: "Alive", content: { "application/json": { schema: HealthBody } } } },
});

const apiHealthRoute = createRoute({
  method: "get",
  path: "/api/health",
  operationId: "checkDatabase",
  tags: ["health"],
  summary: "Readiness: checks the database",
  responses: {
    200: { description: "Healthy", content: { "application/json": { schema: ApiHealthBody } } },
    503: { description: "The database does not answer", content: { "application/json": { schema: ApiHealthBody } } },
    500: errorResponses[500],
  },
});

export const healthRouter = createRouter()
  .openapi(healthRoute, (c) => c.json({ status: "healthy" as const }, 200))
  .openapi(apiHealthRoute, async (c) => {
    const database = await checkDatabase(c.var.deps);
    const body = {
      status: database.ok ? ("healthy" as const) : ("unhealthy" as const),
      timestamp: c.var.deps.clock.now().toISOString(),
      checks: { database: { ok: database.ok, latency_ms: database.latencyMs } },
    };
    return database.ok ? c.json(body, 200) : c.json(body, 503);
  });
