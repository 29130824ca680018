import type { CanonicalSpan, CanonicalTrace, JsonObject } from "../../traces/model";
import { extentOf, orderSpans } from "../../traces/model";
import { asJsonObject, parseJsonLenient, stringList, stringOrNull } from "../common/json";
import type { DecodedSpan, SpanOrigin } from "./decoded-span";
import { mapOtlpSpan } from "./map-span";

interface TraceDraft {
  traceId: string;
  spans: Map<string, CanonicalSpan>;
  origins: Map<string, SpanOrigin>;
}

function firstAttr(spans: readonly CanonicalSpan[], keys: readonly string[]): string | null {
  for (const span of spans) {
    for (const key of keys) {
      const value = stringOrNull(span.attributes[key]);
      if (value !== null) {
        return value;
      }
    }
  }
  return null;
}

function traceMetadata(root: CanonicalSpan | undefined, origin: SpanOrigin | undefined): JsonObject {
  const metadata: JsonObject = { ...asJsonObject(parseJsonLenient(root?.attributes.metadata ?? null)) };
  if (origin && Object.keys(origin.resource).length > 0) {
    metadata["otel.resource"] = origin.resource;
  }
  return metadata;
}

/** Trace-level fields from spans: the root's name, metadata and resource; user, session, tags from any span, root first. */
function toTrace(draft: TraceDraft): CanonicalTrace {
  const spans = orderSpans([...draft.spans.values()]);
  const root = spans.find((s) => s.parent_span_id === null);
  const rootFirst = root ? [root, ...spans.filter((s) => s !== root)] : spans;
  const tags = new Set<string>();
  for (const span of spans) {
    for (const tag of stringList(span.attributes["tag.tags"])) {
      tags.add(tag);
    }
  }
  const { startedAt, endedAt } = extentOf(spans);
  return {
    external_id: draft.traceId,
    source: "otlp",
    name: root ? root.name : null,
    started_at: startedAt,
    ended_at: endedAt,
    input: null,
    output: null,
    spans,
    metadata: traceMetadata(root, draft.origins.get(root?.span_id ?? spans[0]?.span_id ?? "")),
    tags: [...tags],
    user_id: firstAttr(rootFirst, ["user.id", "enduser.id"]),
    session_id: firstAttr(rootFirst, ["session.id", "gen_ai.conversation.id"]),
  };
}

/**
 * Map decoded spans and group them into one trace per trace id, in order of first appearance. A span
 * sent twice in one batch (exporter retry) is upserted: the later copy wins.
 */
export function groupIntoTraces(decoded: readonly DecodedSpan[]): CanonicalTrace[] {
  const drafts = new Map<string, TraceDraft>();
  for (const span of decoded) {
    let draft = drafts.get(span.traceId);
    if (!draft) {
      draft = { traceId: span.traceId, spans: new Map(), origins: new Map() };
      drafts.set(span.traceId, draft);
    }
    draft.spans.set(span.spanId, mapOtlpSpan(span));
    draft.origins.set(span.spanId, span.origin);
  }
  return [...drafts.values()].map(toTrace);
}
