import { createRoute, z } from "@hono/zod-openapi";
import { otlpExportResponse, otlpExportResponseProtobuf } from "../ingest";
import { ingestOtlp, toOtlpRejections } from "../traces";
import { errorResponses } from "./error-responses";
import { createRouter } from "./router";
import { unsupportedMediaType } from "./traces.schemas";

const PROTOBUF = "application/x-protobuf";

const OtlpExportResponse = z
  .object({
    partialSuccess: z
      .object({
        rejectedSpans: z.string().openapi({ description: "int64 as a decimal string (proto3 JSON)" }),
        errorMessage: z.string(),
      })
      .optional(),
  })
  .openapi("OtlpExportTraceServiceResponse");

// The body is an OTLP ExportTraceServiceRequest, decoded by the OTLP decoder (JSON or protobuf, maybe
// gzip), which reports bad spans one by one: documented here, not validated by a route schema.
const exportRequest = { description: "An OTLP ExportTraceServiceRequest" };

const exportTracesRoute = createRoute({
  method: "post",
  path: "/v1/traces",
  operationId: "ingestOtlp",
  tags: ["traces"],
  summary: "OTLP/HTTP trace export (JSON or protobuf, gzip accepted); OpenInference and gen_ai attributes mapped",
  description:
    "Point an OpenTelemetry exporter at `<base>/v1/traces` (auth as for /api). Spans that cannot be used are " +
    "reported in `partialSuccess` (OTLP partial success) and the rest is stored. Answers in the request's format.",
  request: {
    body: {
      required: true,
      content: {
        "application/json": { schema: { type: "object" as const, ...exportRequest } },
        [PROTOBUF]: { schema: { type: "string" as const, format: "binary", ...exportRequest } },
      },
    },
  },
  responses: {
    200: {
      description: "Stored; `partialSuccess` lists what was rejected",
      content: {
        "application/json": { schema: OtlpExportResponse },
        [PROTOBUF]: { schema: { type: "string" as const, format: "binary" } },
      },
    },
    415: unsupportedMediaType,
    ...errorResponses,
  },
});

export const otlpRouter = createRouter().openapi(exportTracesRoute, async (c) => {
  const contentType = c.req.header("content-type") ?? null;
  const body = new Uint8Array(await c.req.arrayBuffer());
  const contentEncoding = c.req.header("content-encoding") ?? null;
  const rejected = toOtlpRejections((await ingestOtlp(c.var.ctx, { body, contentType, contentEncoding })).rejected);
  if (contentType?.toLowerCase().includes("protobuf")) {
    return c.body(new Uint8Array(otlpExportResponseProtobuf(rejected)), 200, { "Content-Type": PROTOBUF });
  }
  return c.json(otlpExportResponse(rejected), 200);
});
