// Trace storage and reading: the one way traces enter and leave the database (model: ./model).
export { CorruptTracePayloadError } from "./internal";
export { iterateTraceIds, type TraceIdFilter } from "./iterate";
export { loadTrace, loadTraceViews, readStoredDocuments, type StoredDocument } from "./load";
export {
  type RejectedTrace,
  type StoredTraceRef,
  type StoreTracesInput,
  type StoreTracesResult,
  storeTraces,
} from "./store";
