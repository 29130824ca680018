import { describe, expect, it } from "vitest";
import { normalizeId, normalizeParentId } from "../../../src/ingest/otlp/ids";

const TRACE = "5b8efff798038103d269b633813fc60c";

describe("OTLP id normalisation", () => {
  it("accepts hex in any case, base64, base64url and UUID forms of the same trace id", () => {
    for (const raw of [
      TRACE,
      TRACE.toUpperCase(),
      "W47/95gDgQPSabYzgT/GDA==",
      "W47_95gDgQPSabYzgT_GDA",
      "5b8efff7-9803-8103-d269-b633813fc60c",
    ]) {
      expect(normalizeId(raw, "trace", "traceId")).toEqual({ id: TRACE });
    }
  });

  it("accepts span ids as hex or base64", () => {
    expect(normalizeId("EEE19B7EC3C1B174", "span", "spanId")).toEqual({ id: "eee19b7ec3c1b174" });
    expect(normalizeId("7uGbfsPBsXQ=", "span", "spanId")).toEqual({ id: "eee19b7ec3c1b174" });
  });

  it("rejects all-zero, missing and malformed ids with a reason", () => {
    expect(normalizeId("0".repeat(32), "trace", "traceId")).toEqual({
      reason: "traceId is all zeroes, which OTLP defines as invalid",
    });
    expect(normalizeId("", "span", "spanId")).toEqual({ reason: "spanId is missing" });
    expect(normalizeId(42, "span", "spanId")).toEqual({ reason: "spanId is missing" });
    expect(normalizeId("xyz", "trace", "traceId")).toMatchObject({ reason: expect.stringContaining("is not 32 hex") });
    expect(normalizeId(TRACE, "span", "spanId")).toMatchObject({ reason: expect.stringContaining("is not 16 hex") });
  });

  it("treats a missing, empty or all-zero parent as a root", () => {
    expect(normalizeParentId(undefined)).toEqual({ id: null });
    expect(normalizeParentId("")).toEqual({ id: null });
    expect(normalizeParentId("0000000000000000")).toEqual({ id: null });
    expect(normalizeParentId("nonsense")).toMatchObject({ reason: expect.stringContaining("parentSpanId") });
  });
});
