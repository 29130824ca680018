import { describe, expect, it } from "vitest";
import { BACKOFF_CAP_MS, computeBackoffMs, RATE_LIMIT_MIN_MS, RETRY_AFTER_CAP_MS } from "../../src/jobs/backoff";

const fixed = (r: number) => () => r;

describe("computeBackoffMs", () => {
  it("doubles from one second per attempt at the midpoint of the jitter", () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) =>
      computeBackoffMs({ attempt, category: "transient_server", random: fixed(0.5) }),
    );
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it("caps the exponential step at five minutes", () => {
    expect(computeBackoffMs({ attempt: 20, category: "unknown", random: fixed(0.5) })).toBe(BACKOFF_CAP_MS);
    expect(computeBackoffMs({ attempt: 500, category: "unknown", random: fixed(0.5) })).toBe(BACKOFF_CAP_MS);
  });

  it("spreads delays by ±10 % so that they still grow attempt over attempt", () => {
    expect(computeBackoffMs({ attempt: 1, category: "unknown", random: fixed(0) })).toBe(900);
    expect(computeBackoffMs({ attempt: 1, category: "unknown", random: fixed(0.999_999) })).toBe(1_100);
    const worstNext = computeBackoffMs({ attempt: 2, category: "unknown", random: fixed(0) });
    expect(worstNext).toBeGreaterThan(1_100);
  });

  it("offers full jitter anywhere between zero and the step", () => {
    expect(computeBackoffMs({ attempt: 3, category: "unknown", random: fixed(0), jitter: "full" })).toBe(0);
    expect(computeBackoffMs({ attempt: 3, category: "unknown", random: fixed(0.25), jitter: "full" })).toBe(1_000);
  });

  it("waits at least thirty seconds after a rate limit without Retry-After", () => {
    expect(computeBackoffMs({ attempt: 1, category: "transient_rate_limit", random: fixed(0.5) })).toBe(
      RATE_LIMIT_MIN_MS,
    );
    expect(computeBackoffMs({ attempt: 7, category: "transient_rate_limit", random: fixed(0.5) })).toBe(64_000);
  });

  it("honours Retry-After, within a one-hour cap", () => {
    const input = { attempt: 1, category: "transient_rate_limit" as const, random: fixed(0.5) };
    expect(computeBackoffMs({ ...input, retryAfterMs: 5_000 })).toBe(5_000);
    expect(computeBackoffMs({ ...input, retryAfterMs: 120_000 })).toBe(120_000);
    expect(computeBackoffMs({ ...input, retryAfterMs: 10 * RETRY_AFTER_CAP_MS })).toBe(RETRY_AFTER_CAP_MS);
  });
});
