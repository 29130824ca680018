import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseJsonExact } from "../../../src/ingest/common/exact-json";

describe("parseJsonExact", () => {
  it("keeps unsafe integers as decimal strings and leaves everything else to JSON.parse", () => {
    const text =
      '{"a":9007199254740993,"b":-12345678901234567890,"c":9007199254740991,"d":1.5e300,"e":"12345678901234567890","f":"q\\"9007199254740993"}';
    expect(parseJsonExact(text)).toEqual({
      a: "9007199254740993",
      b: "-12345678901234567890",
      c: 9007199254740991,
      d: 1.5e300,
      e: "12345678901234567890",
      f: 'q"9007199254740993',
    });
  });

  it("throws SyntaxError exactly like JSON.parse on bad input", () => {
    expect(() => parseJsonExact("{1234567890123456789: 1}")).toThrow(SyntaxError);
    expect(() => parseJsonExact("12345678901234567890abc")).toThrow(SyntaxError);
  });

  it("property: equals JSON.parse on any JSON, except that unsafe integers come back as their digits", () => {
    // JSON.stringify writes integer-valued doubles below 1e21 as plain digits, which is what we keep.
    const reference = (_key: string, v: unknown) =>
      typeof v === "number" && Number.isInteger(v) && !Number.isSafeInteger(v) && Math.abs(v) < 1e21 ? String(v) : v;
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = JSON.stringify(value);
        expect(parseJsonExact(text)).toEqual(JSON.parse(text, reference));
      }),
      { numRuns: 300 },
    );
  });

  it("property: fails exactly when JSON.parse fails", () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            '"',
            "1",
            "-",
            " ",
            "e",
            "a",
            "12345678901234567890",
            "9007199254740993",
          ),
        }),
        (text) => {
          let expected: unknown;
          try {
            JSON.parse(text);
            expected = "ok";
          } catch (error) {
            expected = (error as Error).name;
          }
          let actual: unknown;
          try {
            parseJsonExact(text);
            actual = "ok";
          } catch (error) {
            actual = (error as Error).name;
          }
          expect(actual).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("property: any integer survives exactly, wherever it sits", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.string(), (n, key) => {
        const parsed = parseJsonExact(JSON.stringify({ [key]: [0] }).replace("[0]", `[${n}]`)) as Record<
          string,
          unknown[]
        >;
        const value = parsed[key]?.[0];
        expect(typeof value === "number" ? BigInt(value) : BigInt(value as string)).toBe(n);
        expect(typeof value).toBe(Number.isSafeInteger(Number(n)) ? "number" : "string");
      }),
      { numRuns: 300 },
    );
  });
});
