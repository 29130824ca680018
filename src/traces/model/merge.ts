import { orderSpans } from "./span-tree";
import type { CanonicalSpan, CanonicalTrace } from "./types";

function earliest(a: string | null, b: string | null): string | null {
  if (a === null || b === null) {
    return a ?? b;
  }
  return a < b ? a : b;
}

function latest(a: string | null, b: string | null): string | null {
  if (a === null || b === null) {
    return a ?? b;
  }
  return a > b ? a : b;
}

/**
 * Upsert `incoming` into `existing` (same source and external id). OTLP exporters send one trace in
 * several batches, children often before parents, and retries resend spans: a span id seen again
 * replaces the stored span, new spans are added, and trace fields keep whichever side has a value
 * (incoming first), so a later batch without the root does not blank the root's name.
 */
export function mergeTraces(existing: CanonicalTrace, incoming: CanonicalTrace): CanonicalTrace {
  const spans = new Map<string, CanonicalSpan>();
  for (const span of existing.spans) {
    spans.set(span.span_id, span);
  }
  for (const span of incoming.spans) {
    spans.set(span.span_id, span);
  }
  return {
    external_id: existing.external_id,
    source: existing.source,
    name: incoming.name ?? existing.name,
    started_at: earliest(existing.started_at, incoming.started_at),
    ended_at: latest(existing.ended_at, incoming.ended_at),
    input: incoming.input ?? existing.input,
    output: incoming.output ?? existing.output,
    spans: orderSpans([...spans.values()]),
    metadata: { ...existing.metadata, ...incoming.metadata },
    tags: [...new Set([...existing.tags, ...incoming.tags])],
    user_id: incoming.user_id ?? existing.user_id,
    session_id: incoming.session_id ?? existing.session_id,
  };
}
