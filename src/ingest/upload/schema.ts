import { z } from "zod";
import { spanKind, spanStatus } from "../../db/schema/enums";
import type { JsonObject, JsonValue } from "../../traces/model";
import { isoFromAny } from "../common/time";

// The upload format is the canonical trace itself (what GET returns), validated at the door with a
// bound on every string, array and record, and defaults for whatever a hand-written file leaves out.

const MAX_JSON_DEPTH = 64;
const MAX_TEXT = 5_000_000;
const MAX_SPANS = 50_000;
const MAX_KEYS = 10_000;

function depthOf(value: unknown, limit: number): number {
  if (typeof value !== "object" || value === null) {
    return 0;
  }
  if (limit <= 0) {
    return 1;
  }
  let deepest = 0;
  for (const child of Object.values(value)) {
    deepest = Math.max(deepest, depthOf(child, limit - 1));
    if (deepest >= limit) {
      break;
    }
  }
  return deepest + 1;
}

/** Any JSON value (it came from JSON.parse), nested at most 64 levels so later recursive readers are safe. */
const Json = z
  .unknown()
  .optional()
  .refine((v) => depthOf(v, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH, `nested deeper than ${MAX_JSON_DEPTH} levels`)
  .transform((v): JsonValue => (v === undefined ? null : (v as JsonValue)));

const JsonRecord = z
  .record(z.string().max(1024), z.unknown())
  .refine((r) => Object.keys(r).length <= MAX_KEYS, `at most ${MAX_KEYS} keys`)
  .refine((r) => depthOf(r, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH, `nested deeper than ${MAX_JSON_DEPTH} levels`)
  .transform((r): JsonObject => r as JsonObject);

/** ISO-8601 (zone optional, UTC assumed) or epoch milliseconds; stored as ISO with milliseconds. */
const Instant = z
  .union([z.string().max(64), z.number()])
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined) {
      return null;
    }
    const iso = isoFromAny(v);
    if (iso === null) {
      ctx.addIssue({ code: "custom", message: "must be an ISO-8601 time or epoch milliseconds" });
    }
    return iso;
  });

const Id = z.string().min(1).max(256);
const Name = z.string().max(1024);
const Count = z
  .number()
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .nullish()
  .transform((v) => v ?? null);

const ToolCall = z.object({ id: Id.nullish().transform((v) => v ?? null), name: Name.min(1), arguments: Json });

const Message = z.object({
  role: z.string().min(1).max(64),
  content: z
    .string()
    .max(MAX_TEXT)
    .nullish()
    .transform((v) => v ?? null),
  tool_calls: z.array(ToolCall).max(1_000).optional(),
  tool_call_id: Id.optional(),
  name: Name.optional(),
});

const Tool = z.object({
  name: Name.min(1),
  call_id: Id.nullish().transform((v) => v ?? null),
  arguments: Json,
  output: Json,
});

const Event = z.object({ name: Name.default(""), at: Instant, attributes: JsonRecord.default({}) });

export const UploadSpan = z.object({
  span_id: Id,
  parent_span_id: Id.nullish().transform((v) => v ?? null),
  name: Name.default(""),
  kind: z.enum(spanKind).default("UNKNOWN"),
  source_kind: z
    .string()
    .max(64)
    .nullish()
    .transform((v) => v ?? null),
  started_at: Instant,
  ended_at: Instant,
  status: z.enum(spanStatus).default("UNSET"),
  status_message: z
    .string()
    .max(100_000)
    .nullish()
    .transform((v) => v ?? null),
  model: Name.nullish().transform((v) => v ?? null),
  provider: Name.nullish().transform((v) => v ?? null),
  input_messages: z.array(Message).max(MAX_KEYS).default([]),
  output_messages: z.array(Message).max(MAX_KEYS).default([]),
  tool: Tool.nullish().transform((v) => v ?? null),
  input: Json,
  output: Json,
  tokens: z
    .object({ prompt: Count, completion: Count, total: Count })
    .default({ prompt: null, completion: null, total: null }),
  attributes: JsonRecord.default({}),
  events: z.array(Event).max(MAX_KEYS).default([]),
});

export const UploadTrace = z.object({
  external_id: z.string().min(1).max(512),
  name: Name.nullish().transform((v) => v ?? null),
  started_at: Instant,
  ended_at: Instant,
  input: Json,
  output: Json,
  spans: z.array(UploadSpan).max(MAX_SPANS).default([]),
  metadata: JsonRecord.default({}),
  tags: z.array(z.string().max(256)).max(1_000).default([]),
  user_id: Id.nullish().transform((v) => v ?? null),
  session_id: Id.nullish().transform((v) => v ?? null),
});
export type UploadTrace = z.output<typeof UploadTrace>;
