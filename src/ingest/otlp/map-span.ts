import type { CanonicalSpan, JsonObject } from "../../traces/model";
import type { DecodedSpan } from "./decoded-span";
import { spanMessages } from "./span-messages";
import { ioValue, kindOf, modelOf, providerOf, tokensOf, toolOf } from "./span-semantics";

/**
 * Transport details that are not span attributes, kept under `otel.*` keys the way OTel's own
 * non-OTLP exporters do (Zipkin/Jaeger map scope and status into `otel.*` tags). The decoded
 * attributes object is fresh per span and owned by us, so it is extended in place, not copied.
 */
function withOtelDetails(span: DecodedSpan): JsonObject {
  const { attributes, origin } = span;
  if (origin.scopeName !== null) {
    attributes["otel.scope.name"] = origin.scopeName;
    attributes["otel.scope.version"] = origin.scopeVersion;
  }
  if (span.traceState !== null) {
    attributes["otel.trace_state"] = span.traceState;
  }
  if (span.links.length > 0) {
    attributes["otel.links"] = span.links;
  }
  return attributes;
}

/** Map one decoded OTLP span to the canonical model (OpenInference and gen_ai semantics). */
export function mapOtlpSpan(span: DecodedSpan): CanonicalSpan {
  const attrs = span.attributes;
  const kind = kindOf(attrs);
  const input = ioValue(attrs, "input");
  const output = ioValue(attrs, "output");
  const messages = spanMessages({ attrs, events: span.events, kind, input, output });
  return {
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    name: span.name,
    kind,
    source_kind: span.otelKind,
    started_at: span.startedAt,
    ended_at: span.endedAt,
    status: span.status,
    status_message: span.statusMessage,
    model: modelOf(attrs),
    provider: providerOf(attrs),
    input_messages: messages.input,
    output_messages: messages.output,
    tool: kind === "TOOL" ? toolOf(attrs, span.name, input, output) : null,
    input,
    output,
    tokens: tokensOf(attrs),
    attributes: withOtelDetails(span),
    events: span.events,
  };
}
