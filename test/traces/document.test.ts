import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors";
import { sha256Hex } from "../../src/runtime/sha256";
import { chunkUtf8, prepareTraces } from "../../src/traces/document";
import { encodeTracePayload, summarizeTrace } from "../../src/traces/model";
import { span, trace } from "./model/builders";

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

describe("chunkUtf8", () => {
  it("cuts UTF-8 into pieces of at most maxBytes that are each valid text and join back exactly", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "é", "漢", "😀", "\n", '"'), maxLength: 200 });
    fc.assert(
      fc.property(text, fc.integer({ min: 4, max: 40 }), (value, maxBytes) => {
        const bytes = new TextEncoder().encode(value);
        const chunks = chunkUtf8(bytes, maxBytes);
        expect(chunks.every((c) => c.length <= maxBytes)).toBe(true);
        expect(chunks.map((c) => strict.decode(c)).join("")).toBe(value);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a payload that fits as one piece", () => {
    const bytes = new TextEncoder().encode("{}");
    expect(chunkUtf8(bytes)).toEqual([bytes]);
  });
});

describe("prepareTraces", () => {
  it("returns per trace, in order, its exact UTF-8 text in chunks, size, SHA-256 and summary, or the size error", () => {
    const small = trace([span("a", { name: "héllo 😀" })], { external_id: "small" });
    const big = trace([span("b", { input: "x".repeat(2000) })], { external_id: "big" });
    const other = trace([span("c", { kind: "LLM" })], { external_id: "other" });
    const [first, tooLarge, third] = prepareTraces([small, big, other], { maxBytes: 1000, sha256Hex });
    expect(tooLarge).toBeInstanceOf(AppError);
    expect((tooLarge as AppError).code).toBe("PAYLOAD_TOO_LARGE");
    for (const [prepared, source] of [
      [first, small],
      [third, other],
    ] as const) {
      if (!prepared || prepared instanceof AppError) {
        throw new Error("expected a prepared trace");
      }
      const text = encodeTracePayload(source);
      const bytes = new TextEncoder().encode(text);
      expect(prepared.trace).toBe(source);
      expect(prepared.bytes).toBe(bytes.length);
      expect(strict.decode(Buffer.concat(prepared.chunks))).toBe(text);
      expect(prepared.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      expect(prepared.summary).toEqual(summarizeTrace(source));
    }
  });

  it("encodes a trace too large for the shared buffer on its own, and earlier results keep their bytes", () => {
    const small = trace([span("a", { name: "first" })], { external_id: "small" });
    const huge = trace([span("b", { input: "é".repeat(3_000_000) })], { external_id: "huge" });
    const [first, second] = prepareTraces([small, huge], { maxBytes: 20 * 1024 * 1024, sha256Hex });
    for (const [prepared, source] of [
      [first, small],
      [second, huge],
    ] as const) {
      if (!prepared || prepared instanceof AppError) {
        throw new Error("expected a prepared trace");
      }
      const text = encodeTracePayload(source);
      expect(strict.decode(Buffer.concat(prepared.chunks))).toBe(text);
      expect(prepared.sha256).toBe(createHash("sha256").update(text).digest("hex"));
    }
  });
});
