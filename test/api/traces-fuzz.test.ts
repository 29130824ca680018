import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { makeTestApp, readJson } from "../helpers/app";
import { fixtureJson } from "../ingest/fixtures";
import { protoFromJson } from "../ingest/otlp/proto-encode";

// Generated garbage at the ingest and list endpoints, through the whole app: every answer is a 2xx or
// a 4xx error envelope, never a 500.

const RUNS = { numRuns: 120 };
const t = await makeTestApp({ env: { MAX_BODY_BYTES: "200000", MAX_TRACE_BYTES: "20000" } });

async function expectHandled(res: Response): Promise<void> {
  expect(res.status, `status ${res.status}`).toBeLessThan(500);
  if (res.status >= 400) {
    const body = await readJson(res);
    expect(body.error).toMatchObject({
      code: expect.any(String),
      message: expect.any(String),
      request_id: expect.any(String),
    });
  } else {
    await res.arrayBuffer();
  }
}

const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.constantFrom("", "LLM", "ERROR", "__proto__", "constructor", "0".repeat(32), "2025-01-01T00:00:00Z"),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
);
const mostly = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: junk, weight: 1 });

const fixture = fixtureJson("otlp/openinference-agent.json");
const fixtureSpans: any[] = fixture.resourceSpans[0].scopeSpans[0].spans;

/** The fixture with random fields of random spans replaced by junk. */
const mutatedExport = fc
  .array(
    fc.tuple(
      fc.nat({ max: 1 }),
      fc.constantFrom(
        "traceId",
        "spanId",
        "parentSpanId",
        "kind",
        "status",
        "startTimeUnixNano",
        "attributes",
        "name",
        "events",
      ),
      junk,
    ),
    { maxLength: 4 },
  )
  .map((edits) => {
    const doc = structuredClone(fixture);
    for (const [i, key, value] of edits) {
      doc.resourceSpans[0].scopeSpans[0].spans[i][key] = value;
    }
    return doc;
  });

const contentType = fc.constantFrom(
  "application/json",
  "application/x-protobuf",
  "application/json; charset=utf-8",
  "text/plain",
  "",
);

describe("fast-check: POST /v1/traces", () => {
  it("answers JSON garbage, mutated exports and random content types with 2xx or a 4xx envelope", async () => {
    const body = fc.oneof(
      fc.string(),
      fc.json(),
      mutatedExport.map((d) => JSON.stringify(d)),
      fc.anything().map((v) => JSON.stringify(v) ?? "null"),
    );
    await fc.assert(
      fc.asyncProperty(body, contentType, async (text, type) => {
        await expectHandled(
          await t.request("/v1/traces", { method: "POST", rawBody: text, headers: { "Content-Type": type } }),
        );
      }),
      RUNS,
    );
  });

  it("answers random bytes and corrupted protobuf, plain or claimed gzip, with 2xx or a 4xx envelope", async () => {
    const valid = protoFromJson({ resourceSpans: [{ scopeSpans: [{ spans: fixtureSpans }] }] });
    const flipped = fc
      .array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.nat({ max: 255 })), { maxLength: 6 })
      .map((edits) => {
        const copy = Uint8Array.from(valid);
        for (const [at, byte] of edits) {
          copy[at] = byte;
        }
        return copy;
      });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), flipped),
        fc.constantFrom("", "gzip", "br"),
        async (bytes, encoding) => {
          const headers: Record<string, string> = { "Content-Type": "application/x-protobuf" };
          if (encoding) {
            headers["Content-Encoding"] = encoding;
          }
          await expectHandled(await t.request("/v1/traces", { method: "POST", rawBody: bytes, headers }));
        },
      ),
      RUNS,
    );
  });
});

const uploadSpan = fc.record(
  {
    span_id: mostly(fc.string({ minLength: 1, maxLength: 8 })),
    parent_span_id: mostly(fc.string({ maxLength: 8 })),
    kind: mostly(fc.constantFrom("LLM", "TOOL", "AGENT", "CHAIN")),
    status: mostly(fc.constantFrom("OK", "ERROR", "UNSET")),
    started_at: mostly(
      fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.nat(),
      ),
    ),
    input_messages: mostly(
      fc.array(fc.record({ role: mostly(fc.constantFrom("user", "system")), content: junk }), { maxLength: 2 }),
    ),
    tokens: mostly(fc.record({ prompt: junk, total: mostly(fc.nat()) }, { requiredKeys: [] })),
    attributes: junk,
  },
  { requiredKeys: ["span_id"] },
);
const uploadTrace = fc.record(
  {
    external_id: mostly(fc.string({ minLength: 1, maxLength: 10 })),
    spans: mostly(fc.array(uploadSpan, { maxLength: 3 })),
    tags: junk,
    metadata: junk,
    input: fc.anything(),
  },
  { requiredKeys: ["external_id"] },
);

describe("fast-check: POST /api/traces/upload", () => {
  it("answers generated files, JSON and JSONL, with 2xx or a 4xx envelope", async () => {
    const file = fc.oneof(
      fc.string(),
      fc.array(uploadTrace, { maxLength: 4 }).map((list) => JSON.stringify(list)),
      fc
        .array(
          fc.oneof(
            uploadTrace.map((d) => JSON.stringify(d)),
            fc.string(),
          ),
          { maxLength: 4 },
        )
        .map((lines) => lines.join("\n")),
    );
    const type = fc.constantFrom("application/json", "application/x-ndjson", "application/jsonl", "text/csv");
    await fc.assert(
      fc.asyncProperty(file, type, async (text, contentType) => {
        await expectHandled(
          await t.request("/api/traces/upload", {
            method: "POST",
            rawBody: text,
            headers: { "Content-Type": contentType },
          }),
        );
      }),
      RUNS,
    );
  });
});

describe("fast-check: GET /api/traces", () => {
  it("answers generated query strings with 200 or a 400 envelope", async () => {
    const key = fc.constantFrom(
      "agent_id",
      "agent_version_id",
      "source",
      "rating",
      "has_feedback",
      "date_from",
      "date_to",
      "date_field",
      "q",
      "cursor",
      "limit",
      "junk",
    );
    const value = fc.oneof(
      fc.string(),
      fc.integer().map(String),
      fc.constantFrom(
        "positive,negative",
        "true",
        "otlp",
        "started_at",
        "2026-01-01T00:00:00Z",
        "agent_x",
        "%",
        "_",
        "\\",
        "eyJpbXBvcnRlZF9hdCI6MSwiaWQiOjJ9",
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 5 }), async (pairs) => {
        const query = new URLSearchParams(pairs).toString();
        const res = await t.request(`/api/traces?${query}`);
        expect([200, 400]).toContain(res.status);
        await expectHandled(res);
      }),
      RUNS,
    );
  });
});
