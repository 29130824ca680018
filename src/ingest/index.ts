// Trace ingestion adapters: every source becomes CanonicalTrace (src/traces/model). Pure code: no I/O.
export { parseJsonExact } from "./common/exact-json";
export type { IngestBatch, IngestResult, RejectedItem } from "./common/result";
export {
  type LangfuseLabel,
  langfuseScoreToLabel,
  traceFromLangfuseTrace,
  tracesFromLangfuseObservations,
} from "./langfuse";
export { tracesFromLangSmithRuns } from "./langsmith";
export {
  parseOpenAIJson,
  type StoredCompletion,
  traceFromOpenAICompletion,
  tracesFromOpenAICompletions,
} from "./openai";
export {
  describeRejections,
  type OtlpRequest,
  otlpExportResponse,
  otlpExportResponseProtobuf,
  parseOtlpJson,
  parseOtlpProtobuf,
  parseOtlpRequest,
} from "./otlp";
export {
  MAX_UPLOAD_TRACES,
  parseUploadJson,
  parseUploadJsonl,
  parseUploadRequest,
  type UploadRequest,
} from "./upload";
