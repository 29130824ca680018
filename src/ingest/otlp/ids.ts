// Trace and span ids as exporters really send them: hex in either case (the OTLP/JSON rule), base64
// (protobuf's JSON mapping for bytes, used by some SDKs), or UUIDs. All become lower-case hex.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const HEX_32 = /^[0-9a-fA-F]{32}$/;
const HEX_16 = /^[0-9a-fA-F]{16}$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

export type IdKind = "trace" | "span";

export function hexFromBytes(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    out += HEX[byte];
  }
  return out;
}

function hexFromBase64(text: string, byteLength: number): string | null {
  const unpadded = text.replace(/=+$/, "");
  if (unpadded.length !== Math.ceil((byteLength * 4) / 3)) {
    return null;
  }
  try {
    const binary = atob(unpadded.replace(/-/g, "+").replace(/_/g, "/"));
    if (binary.length !== byteLength) {
      return null;
    }
    let out = "";
    for (let i = 0; i < binary.length; i++) {
      out += HEX[binary.charCodeAt(i)];
    }
    return out;
  } catch {
    return null;
  }
}

/** The id as lower hex, or null when it is none of hex / base64 / UUID of the right length. */
function toHex(raw: string, kind: IdKind): string | null {
  const byteLength = kind === "trace" ? 16 : 8;
  if ((kind === "trace" ? HEX_32 : HEX_16).test(raw)) {
    return raw.toLowerCase();
  }
  if (kind === "trace" && UUID.test(raw)) {
    return raw.replace(/-/g, "").toLowerCase();
  }
  return BASE64.test(raw) ? hexFromBase64(raw, byteLength) : null;
}

export function isZeroId(hex: string): boolean {
  return hex === ZERO_TRACE || hex === ZERO_SPAN;
}

/**
 * Normalise one id. Returns the hex id, or a reason string when it is missing, malformed or all
 * zeroes (the spec calls all-zero ids invalid; the item is rejected, never stored).
 */
export function normalizeId(raw: unknown, kind: IdKind, field: string): { id: string } | { reason: string } {
  if (typeof raw !== "string" || raw === "") {
    return { reason: `${field} is missing` };
  }
  const hex = toHex(raw, kind);
  if (hex === null) {
    const size = kind === "trace" ? "32 hex characters (16 bytes)" : "16 hex characters (8 bytes)";
    return { reason: `${field} ${JSON.stringify(raw.slice(0, 64))} is not ${size}, base64 of those bytes or a UUID` };
  }
  return isZeroId(hex) ? { reason: `${field} is all zeroes, which OTLP defines as invalid` } : { id: hex };
}

/** Parent ids: missing, empty or all zeroes all mean "root". */
export function normalizeParentId(raw: unknown): { id: string | null } | { reason: string } {
  if (raw === undefined || raw === null || raw === "") {
    return { id: null };
  }
  const result = normalizeId(raw, "span", "parentSpanId");
  if ("reason" in result) {
    return typeof raw === "string" && toHex(raw, "span") !== null ? { id: null } : result;
  }
  return result;
}
