import type { SpanStatus } from "../../db/schema/enums";
import type { JsonObject, SpanEvent } from "../../traces/model";

/** Where a span came from: shared by every span of one resource/scope block (never copied per span). */
export interface SpanOrigin {
  resource: JsonObject;
  scopeName: string | null;
  scopeVersion: string | null;
}

/**
 * One OTLP span after transport decoding (JSON or protobuf) and before semantic mapping: ids are lower
 * hex, times ISO, attributes plain JSON. Both transports produce this, so mapping is written once.
 */
export interface DecodedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  otelKind: string;
  startedAt: string | null;
  endedAt: string | null;
  attributes: JsonObject;
  events: SpanEvent[];
  status: SpanStatus;
  statusMessage: string | null;
  traceState: string | null;
  links: JsonObject[];
  origin: SpanOrigin;
}

export const OTEL_SPAN_KINDS = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"] as const;
export const OTEL_STATUS: readonly SpanStatus[] = ["UNSET", "OK", "ERROR"];
