import { AppError, validationError } from "../../errors";
import { mediaTypeOf } from "../common/media-type";
import { batchOf, failed, type IngestResult, okResult, reasonOf } from "../common/result";
import { type Compression, decompress } from "./decompress";
import { groupIntoTraces } from "./group-traces";
import { parseOtlpJsonBody } from "./json-body";
import { decodeOtlpJson } from "./json-decode";
import { decodeOtlpProtobuf } from "./proto-decode";
import type { DecodedBatch } from "./walk";

function toResult(decoded: DecodedBatch | AppError): IngestResult {
  if (decoded instanceof AppError) {
    return failed(decoded);
  }
  return okResult(batchOf(groupIntoTraces(decoded.spans), decoded.rejected));
}

/**
 * OTLP/JSON → traces, from text or from the body's UTF-8 bytes (parsed span array by span array,
 * see json-body.ts). Never throws: a body that is not an export request comes back as `ok: false`.
 */
export function parseOtlpJson(body: string | Uint8Array): IngestResult {
  let parsed: unknown;
  try {
    parsed = typeof body === "string" ? JSON.parse(body) : parseOtlpJsonBody(body);
  } catch (error) {
    // TextDecoder's fatal mode throws a TypeError on bytes that are not UTF-8.
    const reason =
      error instanceof TypeError ? "Body is not valid UTF-8" : `Body is not valid JSON: ${reasonOf(error)}`;
    return failed(validationError(reason));
  }
  return toResult(decodeOtlpJson(parsed));
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

/**
 * One OTLP/HTTP POST /v1/traces body → traces, the way the route needs it: content type picks JSON or
 * protobuf, gzip/deflate is inflated with a size cap. Never rejects; failures are `ok: false`
 * (400 VALIDATION_ERROR, 413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE).
 */
export async function parseOtlpRequest(request: OtlpRequest): Promise<IngestResult> {
  const mediaType = mediaTypeOf(request.contentType);
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
  return isJson ? parseOtlpJson(body) : parseOtlpProtobuf(body);
}
