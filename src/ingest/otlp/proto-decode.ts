import { fromBinary } from "@bufbuild/protobuf";
import { validationError } from "../../errors";
import type { JsonObject, JsonValue } from "../../traces/model";
import { setKey } from "../common/json";
import { type RejectedItem, reasonOf } from "../common/result";
import { isoFromNanos } from "../common/time";
import { type DecodedSpan, OTEL_SPAN_KINDS, OTEL_STATUS, type SpanOrigin } from "./decoded-span";
import {
  type ExportTraceServiceRequest,
  ExportTraceServiceRequestSchema,
} from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb";
import type { AnyValue, KeyValue } from "./gen/opentelemetry/proto/common/v1/common_pb";
import type { ResourceSpans, ScopeSpans, Span } from "./gen/opentelemetry/proto/trace/v1/trace_pb";
import { hexFromBytes, isZeroId } from "./ids";
import { reject } from "./span-rejection";
import { type DecodedBatch, walkOtlp } from "./walk";

const MAX_DEPTH = 32;

function base64FromBytes(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

function anyValue(value: AnyValue | undefined, depth: number): JsonValue {
  if (depth > MAX_DEPTH) {
    return reject(`an attribute value is nested deeper than ${MAX_DEPTH} levels`);
  }
  const v = value?.value;
  switch (v?.case) {
    case "stringValue":
    case "boolValue":
      return v.value;
    case "intValue":
      // Beyond 2^53 a JS number would round; the exact decimal string is kept instead.
      return v.value >= BigInt(Number.MIN_SAFE_INTEGER) && v.value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(v.value)
        : v.value.toString();
    case "doubleValue":
      return Number.isFinite(v.value) ? v.value : String(v.value);
    case "arrayValue":
      return v.value.values.map((item) => anyValue(item, depth + 1));
    case "kvlistValue":
      return keyValues(v.value.values, depth + 1);
    case "bytesValue":
      return base64FromBytes(v.value);
    default:
      return null;
  }
}

function keyValues(list: readonly KeyValue[], depth = 0): JsonObject {
  const out: JsonObject = {};
  for (const kv of list) {
    setKey(out, kv.key, anyValue(kv.value, depth));
  }
  return out;
}

function idFromBytes(bytes: Uint8Array, size: number, field: string): string {
  if (bytes.length !== size) {
    return reject(`${field} must be ${size} bytes, got ${bytes.length}`);
  }
  const hex = hexFromBytes(bytes);
  return isZeroId(hex) ? reject(`${field} is all zeroes, which OTLP defines as invalid`) : hex;
}

function parentFromBytes(bytes: Uint8Array): string | null {
  if (bytes.length === 0) {
    return null;
  }
  const hex = hexFromBytes(bytes);
  if (bytes.length !== 8) {
    return reject(`parentSpanId must be 8 bytes, got ${bytes.length}`);
  }
  return isZeroId(hex) ? null : hex;
}

function enumName<T>(value: number, names: readonly T[], field: string): T {
  const name = names[value];
  return name === undefined ? reject(`${field} ${value} is not a known value (0-${names.length - 1})`) : name;
}

function time(value: bigint, field: string): string | null {
  const iso = isoFromNanos(value);
  return iso === undefined ? reject(`${field} is out of range`) : iso;
}

function spanFromProto(span: Span, origin: SpanOrigin): DecodedSpan {
  const message = span.status?.message ?? "";
  return {
    traceId: idFromBytes(span.traceId, 16, "traceId"),
    spanId: idFromBytes(span.spanId, 8, "spanId"),
    parentSpanId: parentFromBytes(span.parentSpanId),
    name: span.name,
    otelKind: enumName(span.kind, OTEL_SPAN_KINDS, "kind"),
    startedAt: time(span.startTimeUnixNano, "startTimeUnixNano"),
    endedAt: time(span.endTimeUnixNano, "endTimeUnixNano"),
    attributes: keyValues(span.attributes),
    events: span.events.map((e) => ({
      name: e.name,
      at: time(e.timeUnixNano, "events.timeUnixNano"),
      attributes: keyValues(e.attributes),
    })),
    status: enumName(span.status?.code ?? 0, OTEL_STATUS, "status.code"),
    statusMessage: message === "" ? null : message,
    traceState: span.traceState === "" ? null : span.traceState,
    links: span.links.map((l) => ({
      trace_id: hexFromBytes(l.traceId),
      span_id: hexFromBytes(l.spanId),
      attributes: keyValues(l.attributes),
    })),
    origin,
  };
}

function originFromProto(rs: ResourceSpans, ss: ScopeSpans): SpanOrigin {
  return {
    resource: keyValues(rs.resource?.attributes ?? []),
    scopeName: ss.scope?.name ? ss.scope.name : null,
    scopeVersion: ss.scope?.version ? ss.scope.version : null,
  };
}

/**
 * Decode an OTLP protobuf ExportTraceServiceRequest with the generated schema (no eval, so it runs in
 * workerd), then apply the same per-span checks as the JSON path.
 * @returns an AppError when the bytes are not a valid message at all
 */
export function decodeOtlpProtobuf(bytes: Uint8Array): DecodedBatch | ReturnType<typeof validationError> {
  let request: ExportTraceServiceRequest;
  try {
    request = fromBinary(ExportTraceServiceRequestSchema, bytes);
  } catch (error) {
    return validationError(`Body is not a valid OTLP protobuf ExportTraceServiceRequest: ${reasonOf(error)}`);
  }
  const rejected: RejectedItem[] = [];
  const spans = walkOtlp<ResourceSpans, ScopeSpans, Span>(request.resourceSpans, {
    scopesOf: (rs) => rs.scopeSpans,
    spansOf: (ss) => ss.spans,
    originOf: originFromProto,
    decodeSpan: spanFromProto,
    rejected,
  });
  return { spans, rejected };
}
