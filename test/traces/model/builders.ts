import { type CanonicalSpan, type CanonicalTrace, emptySpan } from "../../../src/traces/model";

export function span(id: string, over: Partial<CanonicalSpan> = {}): CanonicalSpan {
  return { ...emptySpan(id, over.name ?? id), ...over };
}

export function trace(spans: CanonicalSpan[], over: Partial<CanonicalTrace> = {}): CanonicalTrace {
  return {
    external_id: "t-1",
    source: "upload",
    name: null,
    started_at: null,
    ended_at: null,
    input: null,
    output: null,
    spans,
    metadata: {},
    tags: [],
    user_id: null,
    session_id: null,
    ...over,
  };
}

/** ISO time at `ms` milliseconds after 2025-05-01T10:00:00Z. */
export function at(ms: number): string {
  return new Date(Date.UTC(2025, 4, 1, 10, 0, 0) + ms).toISOString();
}
