import { AppError, validationError } from "../../errors";
import { mediaTypeOf } from "../common/media-type";
import { failed, type IngestResult } from "../common/result";
import { parseUploadJson, parseUploadJsonl } from "./parse";

const JSONL_TYPES = new Set([
  "application/x-ndjson",
  "application/jsonl",
  "application/x-jsonlines",
  "application/jsonlines",
]);
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

export interface UploadRequest {
  body: Uint8Array;
  /** The Content-Type header: application/json, or a JSONL type (application/x-ndjson …). */
  contentType: string | null;
}

/**
 * One `POST /api/traces/upload` body → traces: JSON (one, an array, or `{traces}`) or JSONL by
 * content type. Never throws; `ok: false` for an unsupported type (415), bytes that are not UTF-8 or
 * JSON, and a file with no usable trace at all (400, with the first 100 reasons).
 */
export function parseUploadRequest(request: UploadRequest): IngestResult {
  const mediaType = mediaTypeOf(request.contentType);
  const isJsonl = JSONL_TYPES.has(mediaType);
  if (!isJsonl && mediaType !== "application/json") {
    return failed(
      new AppError(
        "UNSUPPORTED_MEDIA_TYPE",
        `Content-Type must be application/json or application/x-ndjson (JSONL), got "${mediaType}"`,
      ),
    );
  }
  let text: string;
  try {
    text = utf8.decode(request.body);
  } catch {
    return failed(validationError("Upload is not valid UTF-8"));
  }
  const result = isJsonl ? parseUploadJsonl(text) : parseUploadJson(text);
  if (result.ok && result.traces.length === 0) {
    const details = result.rejected.slice(0, 100).map((r) => ({ path: r.path, message: r.reason }));
    return failed(validationError("The upload holds no valid trace", details));
  }
  return result;
}
