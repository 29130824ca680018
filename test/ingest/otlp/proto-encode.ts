import { create, toBinary } from "@bufbuild/protobuf";
import { ExportTraceServiceRequestSchema } from "../../../src/ingest/otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb";

// Test-side encoder: turns an OTLP/JSON fixture into the protobuf an exporter would send, through the
// generated schema, so both transports can be checked against the same data.

function hexBytes(hex: string | undefined): Uint8Array {
  return Uint8Array.from((hex ?? "").match(/../g) ?? [], (b) => Number.parseInt(b, 16));
}

function anyValue(v: any): any {
  if (v.stringValue !== undefined) {
    return { value: { case: "stringValue", value: v.stringValue } };
  }
  if (v.boolValue !== undefined) {
    return { value: { case: "boolValue", value: v.boolValue } };
  }
  if (v.intValue !== undefined) {
    return { value: { case: "intValue", value: BigInt(v.intValue) } };
  }
  if (v.doubleValue !== undefined) {
    return { value: { case: "doubleValue", value: Number(v.doubleValue) } };
  }
  if (v.arrayValue !== undefined) {
    return { value: { case: "arrayValue", value: { values: v.arrayValue.values.map(anyValue) } } };
  }
  if (v.kvlistValue !== undefined) {
    return { value: { case: "kvlistValue", value: { values: keyValues(v.kvlistValue.values) } } };
  }
  return {};
}

function keyValues(list: any[] | undefined): any[] {
  return (list ?? []).map((kv) => ({ key: kv.key, value: anyValue(kv.value) }));
}

export function protoFromJson(json: any): Uint8Array {
  const request = create(ExportTraceServiceRequestSchema, {
    resourceSpans: json.resourceSpans.map((rs: any) => ({
      resource: { attributes: keyValues(rs.resource?.attributes) },
      scopeSpans: rs.scopeSpans.map((ss: any) => ({
        scope: ss.scope,
        spans: ss.spans.map((s: any) => ({
          traceId: hexBytes(s.traceId),
          spanId: hexBytes(s.spanId),
          parentSpanId: hexBytes(s.parentSpanId),
          name: s.name,
          kind: s.kind ?? 0,
          startTimeUnixNano: BigInt(s.startTimeUnixNano ?? 0),
          endTimeUnixNano: BigInt(s.endTimeUnixNano ?? 0),
          attributes: keyValues(s.attributes),
          events: (s.events ?? []).map((e: any) => ({
            timeUnixNano: BigInt(e.timeUnixNano ?? 0),
            name: e.name,
            attributes: keyValues(e.attributes),
          })),
          status: s.status ? { code: s.status.code ?? 0, message: s.status.message ?? "" } : undefined,
        })),
      })),
    })),
  });
  return toBinary(ExportTraceServiceRequestSchema, request);
}
