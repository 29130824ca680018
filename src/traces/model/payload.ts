import { AppError } from "../../errors";
import type { CanonicalTrace } from "./types";

const MiB = 1024 * 1024;

/** Largest encoded trace accepted when no other limit is configured. */
export const DEFAULT_MAX_TRACE_BYTES = 20 * MiB;

/** D1 caps a row at 2 MB; 512 KiB chunks leave room for the other columns and for future growth. */
export const PAYLOAD_CHUNK_BYTES = 512 * 1024;

/** The stored form of a trace: plain JSON, so the bytes read back are the bytes written. (JSON has no -0: it reads back as 0.) */
export function encodeTracePayload(trace: CanonicalTrace): string {
  return JSON.stringify(trace);
}

/** Inverse of encodeTracePayload for text this process wrote; it is trusted and not re-validated. */
export function decodeTracePayload(text: string): CanonicalTrace {
  return JSON.parse(text) as CanonicalTrace;
}

/** UTF-8 size of `text` without allocating its encoding (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    bytes += utf8Width(text, i);
    if (isPairAt(text, i)) {
      i++;
    }
  }
  return bytes;
}

function isPairAt(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdbff) {
    return false;
  }
  const next = text.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff;
}

/** Bytes of the character starting at `i` (4 for a surrogate pair, counted once at its first unit). */
function utf8Width(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0x80) {
    return 1;
  }
  if (code < 0x800) {
    return 2;
  }
  return isPairAt(text, i) ? 4 : 3;
}

function formatMiB(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/**
 * Throw PAYLOAD_TOO_LARGE (413) when `text` is over `maxBytes` of UTF-8.
 * @throws AppError PAYLOAD_TOO_LARGE with `details: [{ bytes, max_bytes }]`
 */
export function assertPayloadWithinLimit(text: string, maxBytes: number, label = "trace"): void {
  // UTF-8 takes at most 3 bytes per UTF-16 unit, so short texts need no scan.
  if (text.length * 3 <= maxBytes) {
    return;
  }
  const size = utf8ByteLength(text);
  if (size <= maxBytes) {
    return;
  }
  throw new AppError(
    "PAYLOAD_TOO_LARGE",
    `The ${label} is ${formatMiB(size)} when stored, over the ${formatMiB(maxBytes)} limit per trace. ` +
      "Send fewer or smaller spans per trace, or raise the configured maximum.",
    [{ bytes: size, max_bytes: maxBytes }],
  );
}

/**
 * Split `text` into pieces of at most `maxBytes` UTF-8 bytes each, never inside a surrogate pair,
 * so every chunk is valid UTF-8 on its own and `joinPayload(chunkPayload(t)) === t`. Always at least one chunk.
 */
export function chunkPayload(text: string, maxBytes: number = PAYLOAD_CHUNK_BYTES): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < 4) {
    throw new RangeError("maxBytes must be an integer of at least 4 (one UTF-8 character)");
  }
  const chunks: string[] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const width = utf8Width(text, i);
    if (bytes + width > maxBytes) {
      chunks.push(text.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += width;
    if (width === 4) {
      i++;
    }
  }
  chunks.push(text.slice(start));
  return chunks;
}

export function joinPayload(chunks: readonly string[]): string {
  return chunks.join("");
}
