import { create, toBinary } from "@bufbuild/protobuf";
import type { RejectedItem } from "../common/result";
import { ExportTraceServiceResponseSchema } from "./gen/opentelemetry/proto/collector/trace/v1/trace_service_pb";

const LISTED_REJECTIONS = 10;

export interface OtlpExportResponse {
  partialSuccess?: { rejectedSpans: string; errorMessage: string };
}

function rejectedSpanCount(rejected: readonly RejectedItem[]): number {
  return rejected.reduce((sum, item) => sum + item.spans, 0);
}

/** A human-readable summary of the first rejections, e.g. "2 spans rejected: resourceSpans[0]…: traceId is all zeroes". */
export function describeRejections(rejected: readonly RejectedItem[]): string {
  const listed = rejected.slice(0, LISTED_REJECTIONS).map((item) => `${item.path}: ${item.reason}`);
  const more = rejected.length > LISTED_REJECTIONS ? `; and ${rejected.length - LISTED_REJECTIONS} more` : "";
  return `${rejectedSpanCount(rejected)} spans rejected: ${listed.join("; ")}${more}`;
}

/**
 * The OTLP/JSON ExportTraceServiceResponse: `{}` on full success, else `partialSuccess` with the
 * rejected span count (int64, so a decimal string in JSON) and why.
 */
export function otlpExportResponse(rejected: readonly RejectedItem[]): OtlpExportResponse {
  if (rejected.length === 0) {
    return {};
  }
  return {
    partialSuccess: {
      rejectedSpans: String(rejectedSpanCount(rejected)),
      errorMessage: describeRejections(rejected),
    },
  };
}

/** The same response as protobuf bytes, for requests that came in as application/x-protobuf. */
export function otlpExportResponseProtobuf(rejected: readonly RejectedItem[]): Uint8Array {
  const partialSuccess =
    rejected.length === 0
      ? undefined
      : { rejectedSpans: BigInt(rejectedSpanCount(rejected)), errorMessage: describeRejections(rejected) };
  return toBinary(ExportTraceServiceResponseSchema, create(ExportTraceServiceResponseSchema, { partialSuccess }));
}
