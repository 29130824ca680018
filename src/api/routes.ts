import type { OpenAPIHono } from "@hono/zod-openapi";
import { apiKeysRouter } from "./api-keys";
import type { AppEnv } from "./env";
import { integrationsRouter } from "./integrations";
import { jobsRouter } from "./jobs";
import { workspacesRouter } from "./workspaces";

/** Every `/api/*` router, mounted at the root by `createApp`. */
export const apiRouters: OpenAPIHono<AppEnv>[] = [workspacesRouter, apiKeysRouter, jobsRouter, integrationsRouter];
