const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** SHA-256 of `bytes` as lower-case hex (WebCrypto: the same on Node and workerd). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let out = "";
  for (const b of digest) {
    out += HEX[b];
  }
  return out;
}

/**
 * A stored trace document does not match its recorded size or hash (a lost or altered chunk).
 * Deliberately not an AppError: it is a server fault, answered as a logged 500, never as bad input.
 */
export class CorruptTracePayloadError extends Error {
  override readonly name = "CorruptTracePayloadError";
  readonly traceId: string;
  constructor(traceId: string, problem: string) {
    super(`Stored payload of trace ${traceId} is corrupted: ${problem}`);
    this.traceId = traceId;
  }
}

/**
 * Consecutive groups of `items`, each with at most `maxCount` items and at most `maxSize` in total
 * (an item larger than `maxSize` gets a group of its own).
 */
export function groupBySize<T>(items: readonly T[], sizeOf: (item: T) => number, maxSize: number, maxCount = Infinity) {
  const groups: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemSize = sizeOf(item);
    if (current.length > 0 && (current.length >= maxCount || size + itemSize > maxSize)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += itemSize;
  }
  if (current.length > 0) {
    groups.push(current);
  }
  return groups;
}

/** The identity of a trace within a workspace. */
export const traceKey = (t: { source: string; external_id: string }) => `${t.source}\u0000${t.external_id}`;
