import type { CanonicalSpan, CanonicalTrace, JsonObject } from "../../traces/model";
import { extentOf, orderSpans } from "../../traces/model";
import { asJsonObject, isObject, parseJsonLenient, stringList, stringOrNull } from "../common/json";
import { batchOf, type IngestBatch, type RejectedItem } from "../common/result";
import { isoFromAny } from "../common/time";
import { type LangfuseObservation, observationToSpan, readObservation } from "./observation";

/**
 * Spans of one trace. A parent that is not among the observations (not fetched, filtered out,
 * deleted) makes the observation a root, as does `isRootObservation: true`; several roots are fine.
 */
function spansOf(observations: readonly LangfuseObservation[]): CanonicalSpan[] {
  const ids = new Set(observations.map((o) => o.id));
  const byId = new Map<string, CanonicalSpan>();
  for (const obs of observations) {
    const parent = stringOrNull(obs.raw.parentObservationId);
    const isRoot = obs.raw.isRootObservation === true || parent === null || !ids.has(parent) || parent === obs.id;
    byId.set(obs.id, observationToSpan(obs, isRoot ? null : parent));
  }
  return orderSpans([...byId.values()]);
}

function pickFields(raw: Record<string, unknown>, keys: readonly string[]): JsonObject {
  const out: JsonObject = {};
  for (const key of keys) {
    if (raw[key] !== undefined && raw[key] !== null) {
      out[key] = raw[key] as JsonObject[string];
    }
  }
  return out;
}

function traceFromObservations(traceId: string, observations: readonly LangfuseObservation[]): CanonicalTrace {
  const spans = spansOf(observations);
  const rootObs = observations.find((o) => o.id === spans.find((s) => s.parent_span_id === null)?.span_id);
  const root = rootObs?.raw ?? {};
  const extent = extentOf(spans);
  const anyField = (key: string) =>
    stringOrNull(root[key]) ?? observations.map((o) => stringOrNull(o.raw[key])).find(Boolean) ?? null;
  return {
    external_id: traceId,
    source: "langfuse",
    name: stringOrNull(root.traceName) ?? stringOrNull(root.name),
    started_at: extent.startedAt,
    ended_at: extent.endedAt,
    input: null,
    output: null,
    spans,
    metadata: { "langfuse.trace": pickFields(root, ["projectId", "environment", "release", "version"]) },
    tags: stringList(root.tags),
    user_id: anyField("userId"),
    session_id: anyField("sessionId"),
  };
}

function readAll(raws: readonly unknown[], pathOf: (i: number) => string, rejected: RejectedItem[]) {
  const observations: LangfuseObservation[] = [];
  raws.forEach((raw, i) => {
    const obs = readObservation(raw);
    if ("reason" in obs) {
      rejected.push({ path: pathOf(i), reason: obs.reason, spans: 1 });
    } else {
      observations.push(obs);
    }
  });
  return observations;
}

/**
 * A page (or several) of `GET /api/public/v2/observations`: observations grouped by traceId into traces.
 * Observations without a traceId cannot be placed and are rejected.
 */
export function tracesFromLangfuseObservations(observations: readonly unknown[]): IngestBatch {
  const rejected: RejectedItem[] = [];
  const groups = new Map<string, LangfuseObservation[]>();
  readAll(observations, (i) => `observations[${i}]`, rejected).forEach((obs, i) => {
    if (obs.traceId === null) {
      rejected.push({ path: `observations[${i}]`, reason: "observation has no traceId", spans: 1 });
      return;
    }
    const group = groups.get(obs.traceId) ?? [];
    group.push(obs);
    groups.set(obs.traceId, group);
  });
  const traces = [...groups.entries()].map(([traceId, group]) => traceFromObservations(traceId, group));
  return batchOf(traces, rejected);
}

const TRACE_FIELDS_KEPT = [
  "release",
  "version",
  "environment",
  "public",
  "bookmarked",
  "htmlPath",
  "latency",
  "totalCost",
];

/**
 * A legacy trace (`GET /api/public/traces/{id}` with full observations, or a `GET /traces` item plus
 * its observations from `GET /observations?traceId=`). Trace-level input, output, metadata, tags,
 * user and session come from the trace object.
 */
export function traceFromLangfuseTrace(trace: unknown, observations: readonly unknown[] = []): IngestBatch {
  if (!isObject(trace) || typeof trace.id !== "string" || trace.id === "") {
    return batchOf([], [{ path: "trace", reason: "trace must be an object with a string id", spans: 0 }]);
  }
  const rejected: RejectedItem[] = [];
  const embedded = Array.isArray(trace.observations) ? trace.observations.filter(isObject) : [];
  const raws = embedded.length > 0 ? embedded : observations;
  const own = readAll(raws, (i) => `observations[${i}]`, rejected).filter(
    (o) => o.traceId === null || o.traceId === trace.id,
  );
  const base = traceFromObservations(trace.id, own);
  const metadata = asJsonObject(parseJsonLenient(trace.metadata ?? null));
  const result: CanonicalTrace = {
    ...base,
    name: stringOrNull(trace.name) ?? base.name,
    started_at: isoFromAny(trace.timestamp) ?? base.started_at,
    input: parseJsonLenient(trace.input ?? null),
    output: parseJsonLenient(trace.output ?? null),
    metadata: { ...metadata, "langfuse.trace": pickFields(trace, TRACE_FIELDS_KEPT) },
    tags: stringList(trace.tags),
    user_id: stringOrNull(trace.userId) ?? base.user_id,
    session_id: stringOrNull(trace.sessionId) ?? base.session_id,
  };
  return batchOf([result], rejected);
}
