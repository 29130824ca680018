import type { SpanStatus } from "../../db/schema/enums";
import { validationError } from "../../errors";
import type { JsonObject, SpanEvent } from "../../traces/model";
import { isObject } from "../common/json";
import type { RejectedItem } from "../common/result";
import { isoFromNanos } from "../common/time";
import { keyValuesFromJson } from "./any-value-json";
import { type DecodedSpan, OTEL_SPAN_KINDS, OTEL_STATUS, type SpanOrigin } from "./decoded-span";
import { normalizeId, normalizeParentId } from "./ids";
import { reject } from "./span-rejection";
import { type DecodedBatch, walkOtlp } from "./walk";

function enumFromJson<T>(raw: unknown, names: readonly T[], prefix: string, field: string): T {
  if (raw === undefined || raw === null) {
    return names[0] as T;
  }
  if (typeof raw === "number" && Number.isInteger(raw) && raw >= 0 && raw < names.length) {
    return names[raw] as T;
  }
  if (typeof raw === "string") {
    const short = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
    const found = names.find((name) => name === short);
    if (found !== undefined) {
      return found;
    }
  }
  const spelled = names.map((n, i) => `${i}/${prefix}${String(n)}`).join(", ");
  return reject(`${field} ${JSON.stringify(raw)} is not one of ${spelled}`);
}

function timeFromJson(raw: unknown, field: string): string | null {
  const iso = isoFromNanos(raw);
  return iso === undefined ? reject(`${field} must be Unix nanoseconds as a decimal string or integer`) : iso;
}

function statusFromJson(raw: unknown): { status: SpanStatus; message: string | null } {
  if (raw === undefined || raw === null) {
    return { status: "UNSET", message: null };
  }
  if (!isObject(raw)) {
    return reject("status must be an object");
  }
  const status = enumFromJson(raw.code, OTEL_STATUS, "STATUS_CODE_", "status.code");
  const message = raw.message;
  if (message !== undefined && message !== null && typeof message !== "string") {
    return reject("status.message must be a string");
  }
  return { status, message: message ? message : null };
}

function eventsFromJson(raw: unknown): SpanEvent[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    return reject("events must be an array");
  }
  return raw.map((event: unknown, i) => {
    if (!isObject(event)) {
      return reject(`events[${i}] must be an object`);
    }
    return {
      name: typeof event.name === "string" ? event.name : "",
      at: timeFromJson(event.timeUnixNano ?? event.time_unix_nano, `events[${i}].timeUnixNano`),
      attributes: keyValuesFromJson(event.attributes, `events[${i}].attributes`),
    };
  });
}

function linksFromJson(raw: unknown): JsonObject[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    return [];
  }
  return raw.filter(isObject).map((link, i) => ({
    trace_id: typeof link.traceId === "string" ? link.traceId.toLowerCase() : null,
    span_id: typeof link.spanId === "string" ? link.spanId.toLowerCase() : null,
    attributes: keyValuesFromJson(link.attributes, `links[${i}].attributes`),
  }));
}

function idOrReject(result: { id: string } | { reason: string }): string {
  return "id" in result ? result.id : reject(result.reason);
}

/** One OTLP/JSON span; throws ItemRejection with a precise reason when it cannot be used. */
function spanFromJson(raw: unknown, origin: SpanOrigin): DecodedSpan {
  if (!isObject(raw)) {
    return reject("span must be an object");
  }
  const parent = normalizeParentId(raw.parentSpanId ?? raw.parent_span_id);
  if ("reason" in parent) {
    return reject(parent.reason);
  }
  // Proto3 JSON allows null for any field, meaning its default.
  if (raw.name !== undefined && raw.name !== null && typeof raw.name !== "string") {
    return reject("name must be a string");
  }
  const { status, message } = statusFromJson(raw.status);
  return {
    traceId: idOrReject(normalizeId(raw.traceId ?? raw.trace_id, "trace", "traceId")),
    spanId: idOrReject(normalizeId(raw.spanId ?? raw.span_id, "span", "spanId")),
    parentSpanId: parent.id,
    name: typeof raw.name === "string" ? raw.name : "",
    otelKind: enumFromJson(raw.kind, OTEL_SPAN_KINDS, "SPAN_KIND_", "kind"),
    startedAt: timeFromJson(raw.startTimeUnixNano ?? raw.start_time_unix_nano, "startTimeUnixNano"),
    endedAt: timeFromJson(raw.endTimeUnixNano ?? raw.end_time_unix_nano, "endTimeUnixNano"),
    attributes: keyValuesFromJson(raw.attributes, "attributes"),
    events: eventsFromJson(raw.events),
    status,
    statusMessage: message,
    traceState: typeof raw.traceState === "string" && raw.traceState !== "" ? raw.traceState : null,
    links: linksFromJson(raw.links),
    origin,
  };
}

function originFromJson(resourceSpans: Record<string, unknown>, scopeSpans: Record<string, unknown>): SpanOrigin {
  const resource = isObject(resourceSpans.resource) ? resourceSpans.resource : {};
  const scope = isObject(scopeSpans.scope) ? scopeSpans.scope : {};
  return {
    resource: keyValuesFromJson(resource.attributes, "resource.attributes"),
    scopeName: typeof scope.name === "string" && scope.name !== "" ? scope.name : null,
    scopeVersion: typeof scope.version === "string" && scope.version !== "" ? scope.version : null,
  };
}

/**
 * Decode a parsed OTLP/JSON ExportTraceServiceRequest. Unknown fields are ignored (the spec says so);
 * a bad span, scope or resource block is rejected with its path and the rest is kept.
 * @returns an AppError only when the document itself is not an export request
 */
export function decodeOtlpJson(body: unknown): DecodedBatch | ReturnType<typeof validationError> {
  if (!isObject(body)) {
    return validationError("OTLP/JSON body must be an object with a resourceSpans array");
  }
  const resourceSpans = body.resourceSpans ?? body.resource_spans ?? [];
  if (!Array.isArray(resourceSpans)) {
    return validationError("OTLP/JSON resourceSpans must be an array");
  }
  const rejected: RejectedItem[] = [];
  const spans = walkOtlp(resourceSpans, {
    scopesOf: (rs) => (isObject(rs) ? (rs.scopeSpans ?? rs.scope_spans ?? []) : reject("must be an object")),
    spansOf: (ss) => (isObject(ss) ? (ss.spans ?? []) : reject("must be an object")),
    originOf: (rs, ss) => originFromJson(rs as Record<string, unknown>, ss as Record<string, unknown>),
    decodeSpan: spanFromJson,
    rejected,
  });
  return { spans, rejected };
}
