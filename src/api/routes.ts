import type { OpenAPIHono } from "@hono/zod-openapi";
import { agentVersionsRouter } from "./agent-versions";
import { agentsRouter } from "./agents";
import { apiKeysRouter } from "./api-keys";
import type { AppEnv } from "./env";
import { evalsRouter } from "./evals";
import { feedbackRouter } from "./feedback";
import { integrationsRouter } from "./integrations";
import { jobsRouter } from "./jobs";
import { matrixRouter } from "./matrix";
import { monitoringRouter } from "./monitoring";
import { otlpRouter } from "./otlp";
import { toolsRouter } from "./tools";
import { traceImportRouter } from "./trace-import";
import { tracesRouter } from "./traces";
import { workspacesRouter } from "./workspaces";

/** Every `/api/*` router, mounted at the root by `createApp`. */
export const apiRouters: OpenAPIHono<AppEnv>[] = [
  workspacesRouter,
  apiKeysRouter,
  jobsRouter,
  integrationsRouter,
  feedbackRouter,
  agentsRouter,
  agentVersionsRouter,
  toolsRouter,
  // Before the traces router: `/api/traces/import` is a fixed path beside `/api/traces/{id}`.
  traceImportRouter,
  tracesRouter,
  otlpRouter,
  evalsRouter,
  matrixRouter,
  monitoringRouter,
];
