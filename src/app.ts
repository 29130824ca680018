import { swaggerUI } from "@hono/swagger-ui";
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { getPath as honoGetPath } from "hono/utils/url";
import type { AppEnv } from "./api/env";
import { healthRouter } from "./api/health";
import { auth } from "./api/middleware/auth";
import { errorHandler, notFoundHandler } from "./api/middleware/on-error";
import { defaultHook } from "./api/router";
import { apiRouters } from "./api/routes";
import type { Deps } from "./context";
import { AppError } from "./errors";

/** `/v1/api/...` and `/v1/health` are aliases of the unprefixed paths (one rewrite, no duplicate routes). */
function getPath(request: Request): string {
  const path = honoGetPath(request);
  if (path.startsWith("/v1/api/") || path === "/v1/api" || path === "/v1/health") {
    return path.slice(3);
  }
  return path;
}

const PUBLIC_API_PATHS = new Set(["/api/health"]);

export type App = OpenAPIHono<AppEnv>;

/** Builds the whole HTTP app from what the host provides; knows nothing about the host. */
export function createApp(deps: Deps): App {
  const app = new OpenAPIHono<AppEnv>({ defaultHook, getPath });
  const authenticate = auth({ mode: deps.config.authMode });

  app.use(requestId({ headerName: "X-Request-Id" }));
  app.use(async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  app.use(
    "/api/*",
    cors({
      origin: "*",
      allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
      allowHeaders: ["Content-Type", "Authorization", "X-Workspace-Id", "X-Request-Id"],
      exposeHeaders: ["X-Request-Id", "ETag"],
    }),
  );
  app.use(
    bodyLimit({
      maxSize: deps.config.maxBodyBytes,
      onError: () => {
        throw new AppError("PAYLOAD_TOO_LARGE", `Request body exceeds ${deps.config.maxBodyBytes} bytes`);
      },
    }),
  );
  app.use("/api/*", async (c, next) => (PUBLIC_API_PATHS.has(c.req.path) ? next() : authenticate(c, next)));
  // OTLP exporters post to `<base>/v1/traces` (the OTLP/HTTP convention), outside /api: same auth.
  app.use("/v1/traces", authenticate);

  app.route("/", healthRouter);
  for (const router of apiRouters) {
    app.route("/", router);
  }

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", { type: "http", scheme: "bearer" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "iofold API",
      version: "0.1.0",
      description:
        "Auto-evals for AI agents. In key mode send `Authorization: Bearer <api key>`; in local mode choose a workspace with `X-Workspace-Id`.",
    },
    security: [{ bearerAuth: [] }],
  });
  app.get("/docs", swaggerUI({ url: "/openapi.json" }));

  app.onError(errorHandler(deps.logger));
  app.notFound(notFoundHandler);
  return app;
}
