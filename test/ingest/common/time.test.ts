import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoFromAny, isoFromNanos, isoFromSeconds } from "../../../src/ingest/common/time";

const MAX_MS = 8.64e15;

describe("instants as ISO-8601 with milliseconds", () => {
  it("formats any representable epoch millisecond exactly as Date does, whatever came before", () => {
    const ms = fc.oneof(
      fc.integer({ min: -MAX_MS, max: MAX_MS }),
      fc.double({ min: -MAX_MS, max: MAX_MS, noNaN: true }),
      fc.integer({ min: 1_746_093_600_000, max: 1_746_093_603_000 }), // one second apart or less
    );
    fc.assert(
      fc.property(fc.array(ms, { minLength: 1, maxLength: 20 }), (values) => {
        for (const value of values) {
          expect(isoFromAny(value)).toBe(new Date(Math.floor(value)).toISOString());
        }
      }),
      { numRuns: 500 },
    );
  });

  it("keeps the millisecond of nanosecond strings, numbers and bigints, and refuses what is not an instant", () => {
    expect(isoFromNanos("1746093600123456789")).toBe("2025-05-01T10:00:00.123Z");
    expect(isoFromNanos("1746093600007000000")).toBe("2025-05-01T10:00:00.007Z");
    expect(isoFromNanos(1746093600050000000n)).toBe("2025-05-01T10:00:00.050Z");
    expect(isoFromNanos(1.7460936001e18)).toBe("2025-05-01T10:00:00.100Z");
    expect(isoFromNanos("0")).toBeNull();
    expect(isoFromNanos("-5")).toBeUndefined();
    expect(isoFromNanos("1e18")).toBeUndefined();
    expect(isoFromSeconds(1746093600)).toBe("2025-05-01T10:00:00.000Z");
    expect(isoFromAny(Number.POSITIVE_INFINITY)).toBeNull();
    expect(isoFromAny(MAX_MS + 1)).toBeNull();
  });
});
