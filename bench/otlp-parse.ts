// OTLP ingest micro-benchmark: decode + map OTLP/JSON (and protobuf) export requests shaped like an
// OpenInference agent's, then summarise and encode the traces as storage would. Prints one JSON line.
// Run: npx tsx bench/otlp-parse.ts [requests=200] [spansPerRequest=500]
import { create, toBinary } from "@bufbuild/protobuf";
import { parseOtlpJson, parseOtlpProtobuf } from "../src/ingest/otlp";
import { ExportTraceServiceRequestSchema } from "../src/ingest/otlp/gen/opentelemetry/proto/collector/trace/v1/trace_service_pb";
import { encodeTracePayload, summarizeTrace } from "../src/traces/model";
import { otlpRequest } from "./lib/otlp-workload";

const REQUESTS = Number(process.argv[2] ?? 200);
const SPANS_PER_REQUEST = Number(process.argv[3] ?? 500);
const SPANS_PER_TRACE = 10;

const request = (r: number) => otlpRequest(r, SPANS_PER_REQUEST, SPANS_PER_TRACE);

function toProto(json: ReturnType<typeof request>): Uint8Array {
  const bytes = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => Number.parseInt(b, 16));
  const kv = (a: { key: string; value: { stringValue?: string; intValue?: string } }) => ({
    key: a.key,
    value:
      a.value.intValue !== undefined
        ? { value: { case: "intValue" as const, value: BigInt(a.value.intValue) } }
        : { value: { case: "stringValue" as const, value: a.value.stringValue ?? "" } },
  });
  const spans = json.resourceSpans[0]?.scopeSpans[0]?.spans ?? [];
  return toBinary(
    ExportTraceServiceRequestSchema,
    create(ExportTraceServiceRequestSchema, {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: spans.map((s) => ({
                traceId: bytes(s.traceId),
                spanId: bytes(s.spanId),
                parentSpanId: bytes(s.parentSpanId),
                name: s.name,
                kind: s.kind,
                startTimeUnixNano: BigInt(s.startTimeUnixNano),
                endTimeUnixNano: BigInt(s.endTimeUnixNano),
                status: { code: 1 },
                attributes: s.attributes.map(kv),
              })),
            },
          ],
        },
      ],
    }),
  );
}

function time(label: string, run: () => number) {
  run(); // warm-up: JIT and caches
  const started = performance.now();
  const spans = run();
  const ms = performance.now() - started;
  return { label, spans, ms: Math.round(ms), spans_per_sec: Math.round((spans / ms) * 1000) };
}

const bodies = Array.from({ length: REQUESTS }, (_, r) => JSON.stringify(request(r)));
const protos = Array.from({ length: Math.min(REQUESTS, 50) }, (_, r) => toProto(request(r)));
const bytes = bodies.reduce((sum, b) => sum + b.length, 0);

const decode = time("json", () => {
  let spans = 0;
  for (const body of bodies) {
    const result = parseOtlpJson(body);
    spans += result.ok ? result.spanCount : 0;
  }
  return spans;
});
const endToEnd = time("json+summary+encode", () => {
  let spans = 0;
  for (const body of bodies) {
    const result = parseOtlpJson(body);
    for (const trace of result.ok ? result.traces : []) {
      summarizeTrace(trace);
      encodeTracePayload(trace);
      spans += trace.spans.length;
    }
  }
  return spans;
});
const protobuf = time("protobuf", () => {
  let spans = 0;
  for (const body of protos) {
    const result = parseOtlpProtobuf(body);
    spans += result.ok ? result.spanCount : 0;
  }
  return spans;
});

console.log(
  JSON.stringify({
    spans_per_sec: decode.spans_per_sec,
    spans: decode.spans,
    requests: REQUESTS,
    spans_per_request: SPANS_PER_REQUEST,
    json_mb: Math.round((bytes / 1e6) * 10) / 10,
    decode_ms: decode.ms,
    json_mb_per_sec: Math.round((bytes / 1e6 / (decode.ms / 1000)) * 10) / 10,
    with_summary_and_encode_spans_per_sec: endToEnd.spans_per_sec,
    protobuf_spans_per_sec: protobuf.spans_per_sec,
    target_spans_per_sec: 5000,
  }),
);
