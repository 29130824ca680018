import { createRoute } from "@hono/zod-openapi";
import { startTraceImport } from "../imports";
import { ErrorBody, errorResponses } from "./error-responses";
import { createRouter } from "./router";
import { TraceImportAccepted, TraceImportBody, toStartImportInput, toTraceImportJson } from "./trace-import.schemas";

const startTraceImportRoute = createRoute({
  method: "post",
  path: "/api/traces/import",
  operationId: "startTraceImport",
  tags: ["traces"],
  summary: "Queue a pull import from a Langfuse, LangSmith or OpenAI integration (follow it at /api/jobs/{id})",
  request: { body: { required: true, content: { "application/json": { schema: TraceImportBody } } } },
  responses: {
    202: { description: "Queued", content: { "application/json": { schema: TraceImportAccepted } } },
    409: {
      description: "The integration already has an import queued or running (its job id is in `details`)",
      content: { "application/json": { schema: ErrorBody } },
    },
    ...errorResponses,
  },
});

export const traceImportRouter = createRouter().openapi(startTraceImportRoute, async (c) => {
  const body = c.req.valid("json");
  const job = await startTraceImport(c.var.ctx, toStartImportInput(body));
  return c.json(toTraceImportJson(job, body.integration_id), 202);
});
