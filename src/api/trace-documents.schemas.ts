import { z } from "@hono/zod-openapi";
import { spanKind, spanStatus } from "../db/schema/enums";
import { UploadSpan, UploadTrace } from "../ingest/upload";
import { Id } from "./feedback.schemas";

// Trace documents on the wire. Requests reuse the upload format's schemas (every string, array and
// record bounded, JSON depth limited), so a span sent to POST /api/traces is checked exactly like one
// in an uploaded file; responses describe the canonical span as stored.

export const JsonValueSchema = z.unknown().openapi({ description: "Any JSON value" });

const Message = z.object({
  role: z.string(),
  content: z.string().nullable(),
  tool_calls: z.array(z.object({ id: z.string().nullable(), name: z.string(), arguments: JsonValueSchema })).optional(),
  tool_call_id: z.string().optional(),
  name: z.string().optional(),
});

const Tokens = z.object({
  prompt: z.number().nullable(),
  completion: z.number().nullable(),
  total: z.number().nullable(),
});

export const SpanSchema = z
  .object({
    span_id: z.string(),
    parent_span_id: z.string().nullable(),
    name: z.string(),
    kind: z.enum(spanKind),
    source_kind: z.string().nullable(),
    started_at: z.string().nullable(),
    ended_at: z.string().nullable(),
    status: z.enum(spanStatus),
    status_message: z.string().nullable(),
    model: z.string().nullable(),
    provider: z.string().nullable(),
    input_messages: z.array(Message),
    output_messages: z.array(Message),
    tool: z
      .object({ name: z.string(), call_id: z.string().nullable(), arguments: JsonValueSchema, output: JsonValueSchema })
      .nullable(),
    input: JsonValueSchema,
    output: JsonValueSchema,
    tokens: Tokens,
    attributes: z.record(z.string(), JsonValueSchema),
    events: z.array(
      z.object({ name: z.string(), at: z.string().nullable(), attributes: z.record(z.string(), JsonValueSchema) }),
    ),
  })
  .openapi("Span");

const Json = UploadSpan.shape.input;
const JsonRecord = UploadSpan.shape.attributes;
const Time = UploadTrace.shape.started_at;
const Text = z.string().max(5_000_000);

const LegacyStep = z.object({
  step_id: z.string().min(1).max(256).optional(),
  timestamp: Time,
  messages_added: z
    .array(z.object({ role: z.string().min(1).max(64), content: Text.nullish().transform((v) => v ?? null) }))
    .max(1_000)
    .optional(),
  tool_calls: z
    .array(
      z.object({
        tool_name: z.string().min(1).max(1024),
        arguments: Json,
        result: Json,
        error: z.string().max(100_000).nullish(),
      }),
    )
    .max(1_000)
    .optional(),
  input: Json,
  output: Json,
  metadata: JsonRecord.optional(),
  error: z.string().max(100_000).nullish(),
});

/** `POST /api/traces`: the original's fields, plus canonical `spans` and trace fields. */
export const CreateTraceFields = z.object({
  integration_id: Id.nullish().openapi({ description: "The trace's source becomes this integration's platform" }),
  trace_id: z
    .string()
    .min(1)
    .max(512)
    .optional()
    .openapi({ description: "External id; sending it again updates that trace" }),
  name: UploadTrace.shape.name,
  // When the trace started: ISO-8601 or epoch milliseconds. (No .openapi() here: the upload schemas
  // may be built before @hono/zod-openapi extends zod, and zod 4 gives methods to instances at creation.)
  timestamp: Time,
  input: Json,
  output: Json,
  input_preview: z.string().max(100_000).nullish(),
  output_preview: z.string().max(100_000).nullish(),
  has_errors: z.boolean().optional(),
  steps: z.array(LegacyStep).max(1_000).optional().openapi({ description: "Legacy steps (original iofold format)" }),
  spans: z.array(UploadSpan).max(50_000).optional(),
  metadata: JsonRecord.optional(),
  tags: UploadTrace.shape.tags,
  user_id: UploadTrace.shape.user_id,
  session_id: UploadTrace.shape.session_id,
});
