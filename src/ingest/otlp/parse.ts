import { AppError, validationError } from "../../errors";
import { batchOf, failed, type IngestResult, okResult, reasonOf } from "../common/result";
import { type Compression, decompress } from "./decompress";
import { groupIntoTraces } from "./group-traces";
import { decodeOtlpJson } from "./json-decode";
import { decodeOtlpProtobuf } from "./proto-decode";
import type { DecodedBatch } from "./walk";

function toResult(decoded: DecodedBatch | AppError): IngestResult {
  if (decoded instanceof AppError) {
    return failed(decoded);
  }
  return okResult(batchOf(groupIntoTraces(decoded.spans), decoded.rejected));
}

/** OTLP/JSON text → traces. Never throws: a body that is not an export request comes back as `ok: false`. */
export function parseOtlpJson(text: string): IngestResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return failed(validationError(`Body is not valid JSON: ${reasonOf(error)}`));
  }
  return toResult(decodeOtlpJson(body));
}

/** OTLP protobuf bytes → traces. Never throws. */
export function parseOtlpProtobuf(bytes: Uint8Array): IngestResult {
  return toResult(decodeOtlpProtobuf(bytes));
}

export interface OtlpRequest {
  body: Uint8Array;
  /** The Content-Type header: application/json or application/x-protobuf (parameters ignored). */
  contentType: string | null;
  /** The Content-Encoding header: gzip, deflate, identity or absent. */
  contentEncoding: string | null;
  /** Largest body accepted after decompression. */
  maxBytes: number;
}

function unsupported(message: string): IngestResult {
  return failed(new AppError("UNSUPPORTED_MEDIA_TYPE", message));
}

function compressionOf(header: string | null): Compression | null | "unsupported" {
  const encoding = (header ?? "").trim().toLowerCase();
  if (encoding === "" || encoding === "identity") {
    return null;
  }
  if (encoding === "gzip" || encoding === "x-gzip") {
    return "gzip";
  }
  return encoding === "deflate" ? "deflate" : "unsupported";
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * One OTLP/HTTP POST /v1/traces body → traces, the way the route needs it: content type picks JSON or
 * protobuf, gzip/deflate is inflated with a size cap. Never rejects; failures are `ok: false`
 * (400 VALIDATION_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE).
 */
export async function parseOtlpRequest(request: OtlpRequest): Promise<IngestResult> {
  const mediaType = (request.contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const isJson = mediaType === "application/json";
  if (!isJson && mediaType !== "application/x-protobuf" && mediaType !== "application/protobuf") {
    return unsupported(`Content-Type must be application/json or application/x-protobuf, got "${mediaType}"`);
  }
  const compression = compressionOf(request.contentEncoding);
  if (compression === "unsupported") {
    return unsupported(`Content-Encoding "${request.contentEncoding}" is not supported; use gzip or none`);
  }
  const body = compression ? await decompress(request.body, compression, request.maxBytes) : request.body;
  if (body instanceof AppError) {
    return failed(body);
  }
  if (!isJson) {
    return parseOtlpProtobuf(body);
  }
  try {
    return parseOtlpJson(utf8.decode(body));
  } catch {
    return failed(validationError("Body is not valid UTF-8"));
  }
}
