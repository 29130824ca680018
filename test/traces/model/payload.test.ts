import { Buffer } from "node:buffer";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../../src/errors";
import {
  assertPayloadWithinLimit,
  type CanonicalTrace,
  chunkPayload,
  DEFAULT_MAX_TRACE_BYTES,
  decodeTracePayload,
  encodeTracePayload,
  joinPayload,
  PAYLOAD_CHUNK_BYTES,
  utf8ByteLength,
} from "../../../src/traces/model";
import { canonicalTrace } from "./arbitraries";
import { span, trace } from "./builders";

const encoder = new TextEncoder();

/** A trace whose encoding is about `bytes` long, mixing 1-, 2-, 3- and 4-byte characters. */
function bigTrace(bytes: number): CanonicalTrace {
  const unit = "ascii text, é, ü, 中文, 😀 emoji; ";
  const content = unit.repeat(Math.ceil(bytes / encoder.encode(unit).length));
  return trace([span("llm", { kind: "LLM", input_messages: [{ role: "user", content }] })]);
}

describe("trace payload codec", () => {
  it("round-trips a ~20 MB trace byte for byte through chunks of at most 512 KiB", () => {
    const text = encodeTracePayload(bigTrace(20 * 1024 * 1024 - 4096));
    expect(utf8ByteLength(text)).toBe(encoder.encode(text).length);
    assertPayloadWithinLimit(text, DEFAULT_MAX_TRACE_BYTES);
    const chunks = chunkPayload(text);
    expect(chunks.length).toBeGreaterThanOrEqual(40);
    for (const chunk of chunks) {
      expect(encoder.encode(chunk).length).toBeLessThanOrEqual(PAYLOAD_CHUNK_BYTES);
    }
    const joined = joinPayload(chunks);
    expect(joined === text).toBe(true);
    // Compare bytes directly: toEqual on 20 MB typed arrays enumerates every index as a key.
    expect(Buffer.compare(encoder.encode(joined), encoder.encode(text))).toBe(0);
    expect(decodeTracePayload(joined).spans[0]?.input_messages[0]?.content?.length).toBeGreaterThan(5_000_000);
  });

  it("answers PAYLOAD_TOO_LARGE (413) with sizes when a trace is over the limit", () => {
    const text = encodeTracePayload(bigTrace(DEFAULT_MAX_TRACE_BYTES + 1024));
    let caught: unknown;
    try {
      assertPayloadWithinLimit(text, DEFAULT_MAX_TRACE_BYTES);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    const error = caught as AppError;
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.status).toBe(413);
    expect(error.message).toMatch(/is 20\.\d MiB when stored, over the 20\.0 MiB limit/);
    expect(error.details?.[0]).toEqual({ bytes: utf8ByteLength(text), max_bytes: DEFAULT_MAX_TRACE_BYTES });
  });

  it("never splits a surrogate pair or a multi-byte character across chunks", () => {
    const chunks = chunkPayload("a😀b😀", 5);
    expect(chunks).toEqual(["a😀", "b😀"]);
    expect(chunkPayload("ééé", 4)).toEqual(["éé", "é"]);
    expect(chunkPayload("")).toEqual([""]);
  });

  it("rejects a chunk size too small to hold one character", () => {
    expect(() => chunkPayload("abc", 3)).toThrow(RangeError);
  });

  it("property: decode(encode(trace)) equals the trace, and re-encoding gives the same bytes", () => {
    fc.assert(
      fc.property(canonicalTrace, (t) => {
        const text = encodeTracePayload(t);
        const back = decodeTracePayload(text);
        expect(back).toEqual(t);
        expect(encodeTracePayload(back)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it("property: join(chunk(text, n)) is the text, every chunk within n bytes, for any string", () => {
    const anyUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
    fc.assert(
      fc.property(fc.oneof(anyUnits, fc.string({ unit: "binary" })), fc.integer({ min: 4, max: 64 }), (text, n) => {
        const chunks = chunkPayload(text, n);
        expect(joinPayload(chunks)).toBe(text);
        for (const chunk of chunks) {
          expect(utf8ByteLength(chunk)).toBeLessThanOrEqual(n);
        }
        expect(utf8ByteLength(text)).toBe(chunks.reduce((sum, c) => sum + utf8ByteLength(c), 0));
      }),
      { numRuns: 300 },
    );
  });
});
