import fc from "fast-check";
import { spanKind, spanStatus, traceSource } from "../../../src/db/schema/enums";
import type { CanonicalMessage, CanonicalSpan, CanonicalTrace, JsonObject, JsonValue } from "../../../src/traces/model";

// Canonical traces with every field populated from random data, full Unicode strings included.

const text = fc.string({ unit: "binary", maxLength: 40 });
/** JSON cannot spell -0 (it reads back as 0), so generated values never hold one. */
function withoutNegativeZero(value: unknown): JsonValue {
  if (Object.is(value, -0)) {
    return 0;
  }
  if (Array.isArray(value)) {
    return value.map(withoutNegativeZero);
  }
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v)]));
  }
  return value as JsonValue;
}

const json = fc.jsonValue({ maxDepth: 3, stringUnit: "binary" }).map(withoutNegativeZero);
const jsonObject = fc.dictionary(text, json, { maxKeys: 4 }) as fc.Arbitrary<JsonObject>;
const iso = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString());
const count = fc.option(fc.nat({ max: 1_000_000 }), { nil: null });

const message: fc.Arbitrary<CanonicalMessage> = fc.record(
  {
    role: fc.constantFrom("system", "user", "assistant", "tool"),
    content: fc.option(text, { nil: null }),
    tool_calls: fc.array(fc.record({ id: fc.option(text, { nil: null }), name: text, arguments: json }), {
      maxLength: 2,
    }),
    tool_call_id: text,
    name: text,
  },
  { requiredKeys: ["role", "content"] },
);

const span: fc.Arbitrary<CanonicalSpan> = fc.record({
  span_id: text,
  parent_span_id: fc.option(text, { nil: null }),
  name: text,
  kind: fc.constantFrom(...spanKind),
  source_kind: fc.option(text, { nil: null }),
  started_at: fc.option(iso, { nil: null }),
  ended_at: fc.option(iso, { nil: null }),
  status: fc.constantFrom(...spanStatus),
  status_message: fc.option(text, { nil: null }),
  model: fc.option(text, { nil: null }),
  provider: fc.option(text, { nil: null }),
  input_messages: fc.array(message, { maxLength: 3 }),
  output_messages: fc.array(message, { maxLength: 2 }),
  tool: fc.option(fc.record({ name: text, call_id: fc.option(text, { nil: null }), arguments: json, output: json }), {
    nil: null,
  }),
  input: json,
  output: json,
  tokens: fc.record({ prompt: count, completion: count, total: count }),
  attributes: jsonObject,
  events: fc.array(fc.record({ name: text, at: fc.option(iso, { nil: null }), attributes: jsonObject }), {
    maxLength: 2,
  }),
});

export const canonicalTrace: fc.Arbitrary<CanonicalTrace> = fc.record({
  external_id: text,
  source: fc.constantFrom(...traceSource),
  name: fc.option(text, { nil: null }),
  started_at: fc.option(iso, { nil: null }),
  ended_at: fc.option(iso, { nil: null }),
  input: json,
  output: json,
  spans: fc.array(span, { maxLength: 5 }),
  metadata: jsonObject,
  tags: fc.array(text, { maxLength: 3 }),
  user_id: fc.option(text, { nil: null }),
  session_id: fc.option(text, { nil: null }),
});
