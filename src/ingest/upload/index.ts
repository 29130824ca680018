// File upload of canonical traces: JSON (one, an array, or {traces}) and JSONL.
export { MAX_UPLOAD_TRACES, parseUploadJson, parseUploadJsonl } from "./parse";
export { parseUploadRequest, type UploadRequest } from "./request";
export { UploadSpan, UploadTrace } from "./schema";
