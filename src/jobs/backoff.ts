import type { JobErrorCategory } from "../db/schema/enums";

export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;
/** A rate-limited service gets at least this long to recover, unless it said how long itself. */
export const RATE_LIMIT_MIN_MS = 30_000;
/** An absurd `Retry-After` is not honoured beyond this. */
export const RETRY_AFTER_CAP_MS = 60 * 60_000;
/** ±10 %: keeps delays growing attempt over attempt while spreading a burst of retries. */
const PROPORTIONAL_JITTER = 0.1;

export interface BackoffInput {
  /** 1 for the delay after the first failed attempt. */
  attempt: number;
  category: JobErrorCategory;
  retryAfterMs?: number | undefined;
  /** Uniform in [0, 1) (deps.random). */
  random: () => number;
  /** `proportional` (default): ±10 % around the exponential step; `full`: anywhere in [0, step]. */
  jitter?: "proportional" | "full";
}

/** Milliseconds to wait before the next attempt: exponential (1 s × 2ⁿ⁻¹, capped at 5 min) with jitter. */
export function computeBackoffMs(input: BackoffInput): number {
  const exponent = Math.max(0, Math.min(input.attempt - 1, 30));
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  const r = input.random();
  const jittered = input.jitter === "full" ? step * r : step * (1 - PROPORTIONAL_JITTER + 2 * PROPORTIONAL_JITTER * r);
  if (input.category !== "transient_rate_limit") {
    return Math.round(jittered);
  }
  const floor = input.retryAfterMs !== undefined ? Math.min(input.retryAfterMs, RETRY_AFTER_CAP_MS) : RATE_LIMIT_MIN_MS;
  return Math.round(Math.max(floor, jittered));
}
