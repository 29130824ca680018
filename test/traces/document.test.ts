import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkUtf8 } from "../../src/traces/document";

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
