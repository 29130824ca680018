import type { CanonicalSpan, JsonValue } from "./types";

/** Spans by start time; spans without a start keep their relative order at the end. */
export function orderSpans(spans: readonly CanonicalSpan[]): CanonicalSpan[] {
  // Stored traces are already in order (ingest orders them), and this runs on every summary and view.
  if (spans.every((span, i) => i === 0 || compareStart(spans[i - 1] as CanonicalSpan, span) <= 0)) {
    return [...spans];
  }
  return spans
    .map((span, index) => ({ span, index }))
    .sort((a, b) => compareStart(a.span, b.span) || a.index - b.index)
    .map((entry) => entry.span);
}

function compareStart(a: CanonicalSpan, b: CanonicalSpan): number {
  if (a.started_at === b.started_at) {
    return 0;
  }
  if (a.started_at === null) {
    return 1;
  }
  if (b.started_at === null) {
    return -1;
  }
  // Our timestamps all come from toISOString, so string order is time order.
  return a.started_at < b.started_at ? -1 : 1;
}

/** Spans with no parent, or whose parent is not in the trace (an observation whose parent was never sent). */
export function findRoots(spans: readonly CanonicalSpan[]): CanonicalSpan[] {
  const ids = new Set(spans.map((s) => s.span_id));
  return spans.filter((s) => s.parent_span_id === null || !ids.has(s.parent_span_id));
}

/**
 * Ids of spans that have at least one descendant matching `isMatch`. Walks up from each match and
 * stops at the first ancestor already marked, so it is linear and safe on cyclic (malformed) parent links.
 */
export function idsWithDescendant(
  spans: readonly CanonicalSpan[],
  isMatch: (span: CanonicalSpan) => boolean,
): Set<string> {
  const parentOf = new Map<string, string | null>();
  for (const span of spans) {
    parentOf.set(span.span_id, span.parent_span_id);
  }
  const marked = new Set<string>();
  for (const span of spans) {
    if (!isMatch(span)) {
      continue;
    }
    let current = span.parent_span_id;
    while (current !== null && parentOf.has(current) && !marked.has(current)) {
      marked.add(current);
      current = parentOf.get(current) ?? null;
    }
  }
  return marked;
}

/** Milliseconds between two ISO instants, or null when either is missing or unparsable. */
export function durationMs(startedAt: string | null, endedAt: string | null): number | null {
  if (startedAt === null || endedAt === null) {
    return null;
  }
  const ms = Date.parse(endedAt) - Date.parse(startedAt);
  return Number.isFinite(ms) ? ms : null;
}

/** Earliest start and latest end over spans; nulls when no span has one. */
export function extentOf(spans: readonly CanonicalSpan[]): { startedAt: string | null; endedAt: string | null } {
  let startedAt: string | null = null;
  let endedAt: string | null = null;
  for (const span of spans) {
    if (span.started_at !== null && (startedAt === null || span.started_at < startedAt)) {
      startedAt = span.started_at;
    }
    if (span.ended_at !== null && (endedAt === null || span.ended_at > endedAt)) {
      endedAt = span.ended_at;
    }
  }
  return { startedAt, endedAt };
}

/** A value as readable text: strings as they are, anything else as JSON; null for null/empty. */
export function valueToText(value: JsonValue): string | null {
  if (value === null) {
    return null;
  }
  if (typeof value === "string") {
    return value === "" ? null : value;
  }
  return JSON.stringify(value);
}
