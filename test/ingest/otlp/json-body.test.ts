import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseOtlpJsonBody } from "../../../src/ingest/otlp/json-body";

// parseOtlpJsonBody must be JSON.parse of the decoded text, exactly: same value for every valid body,
// an error for every invalid one, whatever the body's shape.

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

type Outcome = { value: unknown } | { error: "utf8" | "json" };

function outcome(parse: () => unknown): Outcome {
  try {
    return { value: parse() };
  } catch (error) {
    return { error: error instanceof TypeError ? "utf8" : "json" };
  }
}

const reference = (bytes: Uint8Array) => outcome(() => JSON.parse(decoder.decode(bytes)));
const split = (bytes: Uint8Array) => outcome(() => parseOtlpJsonBody(bytes));

function expectSame(bytes: Uint8Array): void {
  const expected = reference(bytes);
  const actual = split(bytes);
  if ("value" in expected) {
    expect(actual).toStrictEqual(expected);
  } else {
    // Both refuse; which of two faults is named first may differ.
    expect("error" in actual, `accepted ${decoder.decode(bytes).slice(0, 200)}`).toBe(true);
  }
}

const text = (json: string) => encoder.encode(json);

// Strings that move a byte scanner off track: quotes, backslash runs, brackets, non-ASCII.
const trickyString = fc.oneof(
  fc.string(),
  fc.constantFrom('"', "\\", '\\"', "\\\\", "]}", "[{", "→ é 😀", "spans", "\u0000", "\u2028"),
);
const leaf = fc.oneof(trickyString, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean());
const span = fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("traceId", "spans", "name")), fc.jsonValue(), {
  maxKeys: 4,
});
const scope = fc.record({ scope: fc.record({ name: trickyString }), spans: fc.array(span, { maxLength: 6 }) });
const resource = fc.record({
  resource: fc.record({ attributes: fc.array(leaf, { maxLength: 2 }) }),
  scopeSpans: fc.array(scope, { maxLength: 3 }),
});
const exportRequest = fc.record({ resourceSpans: fc.array(resource, { maxLength: 3 }) });

/** JSON text with whitespace of every kind between tokens. */
function spaced(json: string, ws: readonly string[]): string {
  let i = 0;
  return json.replace(/([{}[\],:])/g, (token) => `${ws[i++ % ws.length]}${token}${ws[i++ % ws.length]}`);
}

describe("parseOtlpJsonBody", () => {
  it("equals JSON.parse on generated export requests, compact or spaced", () => {
    fc.assert(
      fc.property(
        exportRequest,
        fc.array(fc.constantFrom("", " ", "\n", "\t", "\r\n  "), { minLength: 1 }),
        (doc, ws) => {
          const json = JSON.stringify(doc);
          expectSame(text(json));
          // Whitespace inserted around structural characters outside strings only matters when the
          // text still parses; expectSame covers both outcomes.
          expectSame(text(spaced(json, ws)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses or equals JSON.parse on corrupted bodies", () => {
    const body = fc.tuple(
      exportRequest,
      fc.nat(),
      fc.nat({ max: 3 }),
      fc.constantFrom(",", "]", "}", '"', "\\", "[", "{"),
    );
    fc.assert(
      fc.property(body, ([doc, at, cut, insert]) => {
        const json = JSON.stringify(doc);
        const i = at % (json.length + 1);
        expectSame(text(json.slice(0, i) + json.slice(i + cut)));
        expectSame(text(json.slice(0, i) + insert + json.slice(i)));
      }),
      { numRuns: 500 },
    );
  });

  it("equals JSON.parse on arbitrary JSON values", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => expectSame(text(JSON.stringify(value)))),
      { numRuns: 200 },
    );
  });

  it("keeps the last of duplicate keys, under either spelling, escaped or not", () => {
    for (const json of [
      '{"resourceSpans":[{"scopeSpans":[{"spans":[1],"spans":[2,3]}]}]}',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[1]}],"scopeSpans":[{"spans":[4]}]}]}',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[1]}]}],"resourceSpans":[]}',
      '{"resourceSpans":null,"resource_spans":[{"scope_spans":[{"spans":[{"a":1}]}]}]}',
      '{"resourceSpans":[{"scopeSpans":[{"sp\\u0061ns":[{"k":"\\"]}"}]}]}]}',
      '{"resourceSpans":[{"scopeSpans":[{"spans":"not an array"},{"spans":[]}]}]}',
      '{"resourceSpans":[{"scopeSpans":[[1],{"spans":[[{"x":[]}]]}]},7]}',
      '{"__proto__":{"spans":[1]},"resourceSpans":[{"__proto__":[],"scopeSpans":[{"spans":[{"__proto__":1}]}]}]}',
    ]) {
      expectSame(text(json));
    }
  });

  it("reads a byte-order mark, large span arrays and non-ASCII text as the whole body would", () => {
    const spans = Array.from({ length: 2_000 }, (_, i) => ({
      name: `span ${i} → ✓`,
      attributes: [{ key: "k", value: i }],
    }));
    const json = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }, { spans: spans.slice(0, 3) }] }] });
    expectSame(text(json));
    expectSame(new Uint8Array([0xef, 0xbb, 0xbf, ...text(json)]));
    expect(
      (parseOtlpJsonBody(text(json)) as { resourceSpans: [{ scopeSpans: [{ spans: unknown[] }] }] }).resourceSpans[0]
        .scopeSpans[0].spans,
    ).toHaveLength(2_000);
  });

  it("refuses or equals JSON.parse when a body is corrupted where its span pieces meet", () => {
    const spans = Array.from({ length: 600 }, (_, i) => ({ name: `span ${i}`, attributes: [{ key: "k", value: i }] }));
    const json = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
    // Pieces are cut every 32 KiB of span bytes: mutate every few bytes around each cut.
    expect(json.length).toBeGreaterThan(32 * 1024);
    for (let cut = 32 * 1024; cut < json.length; cut += 32 * 1024) {
      for (let at = cut - 120; at < cut + 120; at += 3) {
        expectSame(text(json.slice(0, at) + json.slice(at + 1)));
        for (const insert of [",", "]", "}", '"', "\\", " ,", "{}"]) {
          expectSame(text(json.slice(0, at) + insert + json.slice(at)));
        }
      }
    }
  });

  it("refuses invalid UTF-8 inside a span, and malformed separators between spans", () => {
    const valid = text('{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"ab"},{"name":"cd"}]}]}]}');
    const badByte = valid.slice();
    badByte[valid.indexOf(0x61)] = 0xff; // the "a" of "ab"
    expect(split(badByte)).toStrictEqual({ error: "utf8" });
    for (const json of [
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"ab"} {"name":"cd"}]}]}]}',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"ab"},]}]}]}',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[,{"name":"ab"}]}]}]}',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"ab"}}]}]}',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"ab"}]}]}]} trailing',
      '{"resourceSpans":[{"scopeSpans":[{"spans":[tru]}]}]}',
      "",
    ]) {
      expect(split(text(json)), json).toStrictEqual({ error: "json" });
    }
  });
});
