import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env";
import { jobsRouter } from "./jobs";

/** Every `/api/*` router, mounted at the root by `createApp`. */
export const apiRouters: OpenAPIHono<AppEnv>[] = [jobsRouter];
