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
