import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IngestBatch, IngestResult } from "../../src/ingest";
import {
  langfuseScoreToLabel,
  parseOtlpJson,
  parseOtlpProtobuf,
  parseOtlpRequest,
  parseUploadJson,
  parseUploadJsonl,
  traceFromLangfuseTrace,
  tracesFromLangfuseObservations,
  tracesFromLangSmithRuns,
  tracesFromOpenAICompletions,
} from "../../src/ingest";
import { buildTraceView, summarizeTrace } from "../../src/traces/model";
import { protoFromJson } from "./otlp/proto-encode";

// Generated garbage, and near-valid documents with every field possibly of the wrong type: parsers
// must answer with values (traces, rejections or ok:false), never throw, and whatever they accept
// must be readable by the view and the summary.

const RUNS = { numRuns: 150 };

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constant(""),
  fc.constant("0".repeat(32)),
  fc.constant("5b8efff798038103d269b633813fc60c"),
  fc.constant("eee19b7ec3c1b173"),
  fc.constant("1746093600000000000"),
  fc.constant("constructor"),
  fc.constant("__proto__"),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
);

const KEYS = [
  "openinference.span.kind",
  "llm.input_messages.0.message.role",
  "llm.input_messages.1.message.content",
  "llm.output_messages.0.message.tool_calls.0.tool_call.function.name",
  "llm.token_count.prompt",
  "gen_ai.operation.name",
  "gen_ai.prompt.0.content",
  "gen_ai.input.messages",
  "gen_ai.output.messages",
  "input.value",
  "output.value",
  "tag.tags",
  "metadata",
  "__proto__",
];

const traceId = fc.oneof(
  { arbitrary: fc.constantFrom("5b8efff798038103d269b633813fc60c", "W47/95gDgQPSabYzgT/GDA=="), weight: 6 },
  { arbitrary: junk, weight: 1 },
);
const spanId = fc.oneof(
  {
    arbitrary: fc.string({ unit: fc.constantFrom(..."0123456789abcdefABCDEF"), minLength: 16, maxLength: 16 }),
    weight: 6,
  },
  { arbitrary: junk, weight: 1 },
);

/** Mostly a plausible value, sometimes junk: enough spans get through to exercise the mapping. */
function mostly<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<T | unknown> {
  return fc.oneof({ arbitrary: valid, weight: 8 }, { arbitrary: junk, weight: 1 });
}

const anyValue = mostly(
  fc.oneof(
    fc.record({
      stringValue: fc.oneof(
        fc.string(),
        fc.constantFrom("LLM", "TOOL", "chat", '[{"role":"user"}]', '{"messages":[1]}'),
      ),
    }),
    fc.record({ intValue: fc.oneof(fc.integer().map(String), fc.integer(), fc.constant("99999999999999999999")) }),
    fc.record({ doubleValue: fc.double() }),
    fc.record({ boolValue: fc.boolean() }),
    fc.record({
      arrayValue: fc.record({ values: fc.array(fc.record({ stringValue: fc.string() }), { maxLength: 3 }) }),
    }),
    fc.record({
      kvlistValue: fc.record({
        values: fc.array(fc.record({ key: fc.string(), value: fc.record({ stringValue: fc.string() }) }), {
          maxLength: 2,
        }),
      }),
    }),
    fc.constant({}),
  ),
);

const attribute = fc.record({ key: mostly(fc.constantFrom(...KEYS)), value: anyValue }, { requiredKeys: [] });

const otlpSpan = fc.record(
  {
    traceId,
    spanId,
    parentSpanId: fc.oneof(spanId, fc.constant(undefined)),
    name: mostly(fc.string()),
    kind: mostly(fc.oneof(fc.integer({ min: -1, max: 7 }), fc.constantFrom("SPAN_KIND_CLIENT", "CLIENT"))),
    startTimeUnixNano: mostly(fc.bigInt({ min: 0n, max: 2n ** 63n }).map(String)),
    endTimeUnixNano: mostly(fc.nat().map(String)),
    attributes: mostly(fc.array(attribute, { maxLength: 6 })),
    events: mostly(
      fc.array(
        fc.record({
          name: fc.string(),
          timeUnixNano: fc.nat().map(String),
          attributes: fc.array(attribute, { maxLength: 2 }),
        }),
        { maxLength: 2 },
      ),
    ),
    status: mostly(fc.record({ code: fc.nat({ max: 3 }), message: fc.string() }, { requiredKeys: [] })),
  },
  { requiredKeys: ["traceId", "spanId"] },
);

const otlpDocument = mostly(
  fc.record({
    resourceSpans: mostly(
      fc.array(
        fc.record(
          {
            resource: mostly(fc.record({ attributes: mostly(fc.array(attribute, { maxLength: 3 })) })),
            scopeSpans: mostly(
              fc.array(fc.record({ scope: junk, spans: mostly(fc.array(otlpSpan, { maxLength: 4 })) }), {
                maxLength: 2,
              }),
            ),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 2 },
      ),
    ),
  }),
);

/** Spans accepted during a property run, so a test can prove its generator reaches the mapping code. */
let acceptedSpans = 0;

function assertUsable(result: IngestResult | IngestBatch): void {
  if ("ok" in result && !result.ok) {
    expect(result.error.status).toBeGreaterThanOrEqual(400);
    expect(result.error.status).toBeLessThan(500);
    return;
  }
  acceptedSpans += (result as IngestBatch).spanCount;
  for (const trace of (result as IngestBatch).traces) {
    summarizeTrace(trace);
    JSON.stringify(buildTraceView(trace));
  }
  for (const item of (result as IngestBatch).rejected) {
    expect(typeof item.reason).toBe("string");
  }
}

describe("parsers never throw on garbage", () => {
  it("OTLP/JSON: arbitrary text and near-valid export requests", () => {
    acceptedSpans = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          { arbitrary: fc.string(), weight: 1 },
          { arbitrary: otlpDocument.map((d) => JSON.stringify(d) ?? "null"), weight: 4 },
        ),
        (text) => {
          assertUsable(parseOtlpJson(text));
        },
      ),
      { numRuns: 300 },
    );
    // About 30 spans get through per run; the bound only proves the generator reaches the mapping code.
    expect(acceptedSpans).toBeGreaterThan(5);
  });

  it("OTLP protobuf: arbitrary bytes, and valid messages with random bytes flipped", () => {
    const valid = protoFromJson({
      resourceSpans: [
        {
          scopeSpans: [
            { spans: [{ traceId: "5b8efff798038103d269b633813fc60c", spanId: "eee19b7ec3c1b173", name: "x" }] },
          ],
        },
      ],
    });
    const mutated = fc
      .array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 255 })), { maxLength: 4 })
      .map((edits) => {
        const copy = Uint8Array.from(valid);
        for (const [at, byte] of edits) {
          copy[at] = byte;
        }
        return copy;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), (bytes) => {
        assertUsable(parseOtlpProtobuf(bytes));
      }),
      RUNS,
    );
  });

  it("OTLP/HTTP: arbitrary bodies, content types and encodings resolve, never reject", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 100 }),
        fc.constantFrom("application/json", "application/x-protobuf", "text/plain", ""),
        fc.constantFrom("gzip", "deflate", null, "br"),
        async (body, contentType, contentEncoding) => {
          assertUsable(await parseOtlpRequest({ body, contentType, contentEncoding, maxBytes: 10_000 }));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("uploads: arbitrary JSON, JSONL and trace-shaped documents with wrong types", () => {
    const doc = fc.record(
      {
        external_id: junk,
        spans: fc.oneof(
          junk,
          fc.array(
            fc.dictionary(fc.constantFrom("span_id", "kind", "status", "started_at", "tokens", "input_messages"), junk),
            { maxLength: 3 },
          ),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          doc.map((d) => JSON.stringify(d)),
        ),
        (text) => {
          assertUsable(parseUploadJson(text));
          assertUsable(parseUploadJsonl(text));
        },
      ),
      RUNS,
    );
  });

  it("pull adapters: arbitrary Langfuse, LangSmith and OpenAI objects", () => {
    const record = fc.dictionary(
      fc.constantFrom(
        "id",
        "traceId",
        "parentObservationId",
        "type",
        "input",
        "output",
        "usage",
        "usageDetails",
        "metadata",
        "startTime",
        "run_type",
        "inputs",
        "outputs",
        "child_runs",
        "parent_run_id",
        "dotted_order",
        "choices",
        "created",
        "observations",
      ),
      fc.oneof(junk, fc.constant("t-1"), fc.constant([{ role: "user", content: 1 }])),
      { maxKeys: 8 },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(junk, record), { maxLength: 5 }), (items) => {
        assertUsable(tracesFromLangfuseObservations(items));
        assertUsable(traceFromLangfuseTrace(items[0], items));
        assertUsable(tracesFromLangSmithRuns(items));
        assertUsable(tracesFromOpenAICompletions(items.map((completion) => ({ completion, messages: items }))));
        for (const item of items) {
          langfuseScoreToLabel(item);
        }
      }),
      RUNS,
    );
  });
});
