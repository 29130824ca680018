import { createRoute } from "@hono/zod-openapi";
import { createTrace, deleteTrace, deleteTraces, ingestUpload } from "../../traces";
import { errorResponses } from "../error-responses";
import { jsonBody, jsonContent } from "../openapi-content";
import { createRouter } from "../router";
import {
  CreateTraceBody,
  DeleteTracesBody,
  DeleteTracesResponse,
  TraceIdParams,
  TraceSummarySchema,
  toTraceSummaryJson,
  toUploadJson,
  UploadResponse,
  unsupportedMediaType,
} from "../traces.schemas";
import { toCreateTraceInput } from "./create-input";

const tags = ["traces"];

// The upload body is a file, parsed and validated by the upload parser line by line (so one bad line
// is reported, not the whole request refused): it is documented here, not validated by a route schema.
const uploadFile = { type: "string" as const, description: "The file's text" };

const uploadTracesRoute = createRoute({
  method: "post",
  path: "/api/traces/upload",
  operationId: "ingestUpload",
  tags,
  summary: "Upload a JSON or JSONL file of traces (canonical format); bad items are reported, the rest stored",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: { type: "object" as const, description: "A trace, an array of traces, or {traces}" },
        },
        "application/x-ndjson": { schema: uploadFile },
        "application/jsonl": { schema: uploadFile },
      },
    },
  },
  responses: {
    200: jsonContent(UploadResponse, "What was stored, created, updated and rejected"),
    415: unsupportedMediaType,
    ...errorResponses,
  },
});

const createTraceRoute = createRoute({
  method: "post",
  path: "/api/traces",
  operationId: "createTrace",
  tags,
  summary: "Store one trace sent directly; the same trace_id again updates it",
  request: { body: jsonBody(CreateTraceBody) },
  responses: {
    201: jsonContent(TraceSummarySchema, "The new trace"),
    200: jsonContent(TraceSummarySchema, "The existing trace with this trace_id, updated"),
    ...errorResponses,
  },
});

const deleteTraceRoute = createRoute({
  method: "delete",
  path: "/api/traces/{id}",
  operationId: "deleteTrace",
  tags,
  summary: "Delete a trace with its payload, label and eval results",
  request: { params: TraceIdParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses },
});

const deleteTracesRoute = createRoute({
  method: "delete",
  path: "/api/traces",
  operationId: "deleteTraces",
  tags,
  summary: "Delete up to 100 traces; ids not in the workspace are not counted",
  request: { body: jsonBody(DeleteTracesBody) },
  responses: { 200: jsonContent(DeleteTracesResponse, "How many were deleted"), ...errorResponses },
});

export const traceWriteRouter = createRouter()
  .openapi(uploadTracesRoute, async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const report = await ingestUpload(c.var.ctx, { body, contentType: c.req.header("content-type") ?? null });
    return c.json(toUploadJson(report), 200);
  })
  .openapi(createTraceRoute, async (c) => {
    const { row, created } = await createTrace(c.var.ctx, toCreateTraceInput(c.req.valid("json")));
    return created ? c.json(toTraceSummaryJson(row), 201) : c.json(toTraceSummaryJson(row), 200);
  })
  .openapi(deleteTraceRoute, async (c) => {
    await deleteTrace(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(deleteTracesRoute, async (c) => {
    const deleted = await deleteTraces(c.var.ctx, c.req.valid("json").trace_ids);
    return c.json({ deleted_count: deleted }, 200);
  });
