import type { z } from "@hono/zod-openapi";
import type { CreateTraceInput } from "../../traces";
import type { CreateTraceBody } from "../traces.schemas";

/** The wire's snake_case create body as the service's input. */
export function toCreateTraceInput(body: z.output<typeof CreateTraceBody>): CreateTraceInput {
  return {
    integrationId: body.integration_id,
    traceId: body.trace_id,
    name: body.name,
    timestamp: body.timestamp,
    input: body.input,
    output: body.output,
    inputPreview: body.input_preview,
    outputPreview: body.output_preview,
    hasErrors: body.has_errors,
    steps: body.steps,
    spans: body.spans,
    metadata: body.metadata,
    tags: body.tags,
    userId: body.user_id,
    sessionId: body.session_id,
  };
}
