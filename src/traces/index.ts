// Trace storage and reading: the one way traces enter and leave the database (model: ./model).
export { type CreateTraceInput, createTrace } from "./create";
export { deleteTrace, deleteTraces } from "./delete";
export { getTraceDetail, getTraceRow, type TraceDetail, type TraceExecution } from "./detail";
export {
  type IngestRejection,
  type IngestReport,
  ingestOtlp,
  ingestUpload,
  type OtlpIngestInput,
  toOtlpRejections,
  type UploadInput,
} from "./ingest";
export { CorruptTracePayloadError } from "./internal";
export { iterateTraceIds, type TraceIdFilter } from "./iterate";
export type { LegacyStep } from "./legacy-steps";
export { type ListTracesInput, listTraces, type TracePage, type TracePosition } from "./list";
export { loadTrace, loadTraceViews, readStoredDocuments, type StoredDocument } from "./load";
export type { TraceRow } from "./rows";
export {
  type RejectedTrace,
  type StoredTraceRef,
  type StoreTracesInput,
  type StoreTracesResult,
  storeTraces,
} from "./store";
