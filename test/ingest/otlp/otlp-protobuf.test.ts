import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  otlpExportResponse,
  otlpExportResponseProtobuf,
  parseOtlpJson,
  parseOtlpProtobuf,
  parseOtlpRequest,
} from "../../../src/ingest/otlp";
import {
  ExportTraceServiceRequestSchema,
  ExportTraceServiceResponseSchema,
} from "../../../src/ingest/otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb";
import { fixtureJson, fixtureText } from "../fixtures";
import { protoFromJson } from "./proto-encode";

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const utf8 = new TextEncoder();

function oneSpan(span: Record<string, unknown>): Uint8Array {
  const base = { traceId: new Uint8Array(16).fill(1), spanId: new Uint8Array(8).fill(2), name: "s" };
  return toBinary(
    ExportTraceServiceRequestSchema,
    create(ExportTraceServiceRequestSchema, { resourceSpans: [{ scopeSpans: [{ spans: [{ ...base, ...span }] }] }] }),
  );
}

describe("OTLP protobuf ingestion", () => {
  for (const fixture of ["otlp/openinference-agent.json", "otlp/gen-ai.json"]) {
    it(`decodes ${fixture} encoded as protobuf to the same traces as its JSON form`, () => {
      const fromProto = parseOtlpProtobuf(protoFromJson(fixtureJson(fixture)));
      const fromJson = parseOtlpJson(fixtureText(fixture));
      expect(fromProto).toEqual(fromJson);
    });
  }

  it("rejects all-zero and wrong-length ids and unknown enum values per span", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ traceId: new Uint8Array(16) }, "traceId is all zeroes, which OTLP defines as invalid"],
      [{ spanId: new Uint8Array(4).fill(9) }, "spanId must be 8 bytes, got 4"],
      [{ kind: 9 }, "kind 9 is not a known value (0-5)"],
      [{ status: { code: 7 } }, "status.code 7 is not a known value (0-2)"],
    ];
    for (const [span, reason] of cases) {
      const result = parseOtlpProtobuf(oneSpan(span));
      expect(result).toMatchObject({ ok: true, traces: [], rejected: [{ reason, spans: 1 }] });
    }
  });

  it("keeps int64 attribute values beyond 2^53 exact", () => {
    const bytes = oneSpan({
      attributes: [{ key: "big", value: { value: { case: "intValue", value: 9007199254740993n } } }],
    });
    const result = parseOtlpProtobuf(bytes);
    expect(result.ok && result.traces[0]?.spans[0]?.attributes.big).toBe("9007199254740993");
  });

  it("reports bytes that are not an export request as a validation error", () => {
    const result = parseOtlpProtobuf(Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(result).toMatchObject({ ok: false, error: { code: "VALIDATION_ERROR" } });
  });
});

describe("OTLP/HTTP request bodies", () => {
  it("inflates gzip bodies, for JSON and for protobuf", async () => {
    const json = fixtureText("otlp/openinference-agent.json");
    const expected = parseOtlpJson(json);
    const viaJson = await parseOtlpRequest({
      body: await gzip(utf8.encode(json)),
      contentType: "application/json; charset=utf-8",
      contentEncoding: "gzip",
      maxBytes: 1_000_000,
    });
    const viaProto = await parseOtlpRequest({
      body: await gzip(protoFromJson(JSON.parse(json))),
      contentType: "application/x-protobuf",
      contentEncoding: "GZIP",
      maxBytes: 1_000_000,
    });
    expect(viaJson).toEqual(expected);
    expect(viaProto).toEqual(expected);
  });

  it("stops inflating a gzip bomb at the size limit with PAYLOAD_TOO_LARGE", async () => {
    const bomb = await gzip(new Uint8Array(4 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(10_000);
    const result = await parseOtlpRequest({
      body: bomb,
      contentType: "application/json",
      contentEncoding: "gzip",
      maxBytes: 1024 * 1024,
    });
    expect(result).toMatchObject({ ok: false, error: { code: "PAYLOAD_TOO_LARGE", status: 413 } });
  });

  it("answers corrupt gzip and invalid UTF-8 with 400, unknown media types and encodings with 415", async () => {
    const request = { contentType: "application/json", contentEncoding: null, maxBytes: 1024 };
    const corrupt = await parseOtlpRequest({ ...request, body: utf8.encode("not gzip"), contentEncoding: "gzip" });
    expect(corrupt).toMatchObject({ ok: false, error: { code: "VALIDATION_ERROR" } });
    const badUtf8 = await parseOtlpRequest({ ...request, body: Uint8Array.from([0x7b, 0xff, 0x7d]) });
    expect(badUtf8).toMatchObject({
      ok: false,
      error: { code: "VALIDATION_ERROR", message: "Body is not valid UTF-8" },
    });
    const text = await parseOtlpRequest({ ...request, body: utf8.encode("{}"), contentType: "text/plain" });
    expect(text).toMatchObject({ ok: false, error: { code: "UNSUPPORTED_MEDIA_TYPE", status: 415 } });
    const brotli = await parseOtlpRequest({ ...request, body: utf8.encode("{}"), contentEncoding: "br" });
    expect(brotli).toMatchObject({ ok: false, error: { code: "UNSUPPORTED_MEDIA_TYPE" } });
  });
});

describe("OTLP export response", () => {
  it("is empty on full success and reports rejected spans as an int64 string otherwise", () => {
    expect(otlpExportResponse([])).toEqual({});
    const rejected = [
      { path: "resourceSpans[0].scopeSpans[0].spans[3]", reason: "traceId is all zeroes", spans: 1 },
      { path: "resourceSpans[1]", reason: "scopeSpans must be an array", spans: 2 },
    ];
    expect(otlpExportResponse(rejected)).toEqual({
      partialSuccess: {
        rejectedSpans: "3",
        errorMessage:
          "3 spans rejected: resourceSpans[0].scopeSpans[0].spans[3]: traceId is all zeroes; resourceSpans[1]: scopeSpans must be an array",
      },
    });
    const decoded = fromBinary(ExportTraceServiceResponseSchema, otlpExportResponseProtobuf(rejected));
    expect(decoded.partialSuccess?.rejectedSpans).toBe(3n);
    expect(otlpExportResponseProtobuf([])).toEqual(new Uint8Array());
  });
});
