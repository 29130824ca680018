// OTLP/HTTP trace ingestion: JSON and protobuf bodies (gzip/deflate), OpenInference and gen_ai mapping.
export { type OtlpRequest, parseOtlpJson, parseOtlpProtobuf, parseOtlpRequest } from "./parse";
export {
  describeRejections,
  type OtlpExportResponse,
  otlpExportResponse,
  otlpExportResponseProtobuf,
} from "./response";
