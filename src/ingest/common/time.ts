// Every adapter turns source times into one format: ISO-8601 UTC with milliseconds (DESIGN "one timestamp format").

const MAX_EPOCH_MS = 8.64e15; // the largest instant a JS Date can hold

// Formatting is hot on ingest (two instants per span) and the spans of one trace mostly share their
// second, so the text up to the second is kept from the previous call.
let cachedSecond = Number.NaN;
let cachedUpToSecond = "";

function isoFromMs(ms: number): string | null {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) {
    return null;
  }
  const whole = Math.floor(ms);
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    cachedUpToSecond = new Date(second * 1000).toISOString().slice(0, -4); // "…T10:00:00."
    cachedSecond = second;
  }
  const millis = whole - second * 1000;
  return `${cachedUpToSecond}${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}

/** `YYYY-MM-DDTHH:MM:SS` with no zone: LangSmith sends these and means UTC. */
function hasZone(text: string): boolean {
  const time = text.slice(10);
  return /[zZ]$/.test(time) || time.includes("+") || time.includes("-");
}

/**
 * An instant from an ISO string (zone optional, UTC assumed), or epoch milliseconds as a number or
 * digit string. Null when absent or unparsable.
 */
export function isoFromAny(value: unknown): string | null {
  if (typeof value === "number") {
    return isoFromMs(value);
  }
  if (typeof value !== "string" || value === "") {
    return null;
  }
  if (/^\d+(\.\d+)?$/.test(value)) {
    return isoFromMs(Number(value));
  }
  const text = value.length > 10 && !hasZone(value) ? `${value}Z` : value;
  return isoFromMs(Date.parse(text));
}

/** Unix seconds (OpenAI `created`) as ISO. */
export function isoFromSeconds(value: unknown): string | null {
  const seconds = typeof value === "string" ? Number(value) : value;
  return typeof seconds === "number" ? isoFromMs(seconds * 1000) : null;
}

/**
 * Unix nanoseconds as OTLP sends them: a decimal string, a JSON number (already imprecise past 2^53,
 * but milliseconds survive) or a bigint. Zero means "not set". `undefined` when the value is malformed.
 */
export function isoFromNanos(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === "" || value === "0" || value === 0 || value === 0n) {
    return null;
  }
  if (typeof value === "bigint") {
    return value < 0n ? undefined : (isoFromMs(Number(value / 1_000_000n)) ?? undefined);
  }
  if (typeof value === "number") {
    // A double near 1.7e18 is off by up to 128 ns; rounding to whole microseconds first keeps the
    // millisecond exact (a plain floor of value / 1e6 can land 1 ms early).
    return Number.isInteger(value) && value >= 0 ? (isoFromMs(Math.round(value / 1e3) / 1e3) ?? undefined) : undefined;
  }
  if (typeof value === "string" && /^\d{1,20}$/.test(value)) {
    const ms = value.length > 6 ? Number(value.slice(0, -6)) : 0;
    return isoFromMs(ms) ?? undefined;
  }
  return undefined;
}
