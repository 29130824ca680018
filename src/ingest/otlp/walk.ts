import { type RejectedItem, reasonOf } from "../common/result";
import type { DecodedSpan, SpanOrigin } from "./decoded-span";
import { ItemRejection } from "./span-rejection";

export interface DecodedBatch {
  spans: DecodedSpan[];
  rejected: RejectedItem[];
}

/** How to read one transport's envelope; JSON and protobuf differ only here. */
export interface EnvelopeReader<R, S, P> {
  scopesOf: (resourceSpans: R) => unknown;
  spansOf: (scopeSpans: S) => unknown;
  originOf: (resourceSpans: R, scopeSpans: S) => SpanOrigin;
  decodeSpan: (span: P, origin: SpanOrigin) => DecodedSpan;
  rejected: RejectedItem[];
}

function countSpans<S>(scopes: unknown, spansOf: (s: S) => unknown): number {
  if (!Array.isArray(scopes)) {
    return 0;
  }
  let count = 0;
  for (const scope of scopes) {
    try {
      const spans = spansOf(scope as S);
      count += Array.isArray(spans) ? spans.length : 0;
    } catch {
      // a malformed scope holds no countable spans
    }
  }
  return count;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) {
    throw new ItemRejection(`${what} must be an array`);
  }
  return value;
}

/** Rejections we raise carry their reason; anything else (a bug, a RangeError) is reported generically. */
function rejection(error: unknown): string {
  return error instanceof ItemRejection ? error.message : `could not be decoded: ${reasonOf(error)}`;
}

function walkScope<R, S, P>(rs: R, ss: S, path: string, reader: EnvelopeReader<R, S, P>, out: DecodedSpan[]): void {
  let spans: unknown[];
  let origin: SpanOrigin;
  try {
    spans = asArray(reader.spansOf(ss), "spans");
    origin = reader.originOf(rs, ss);
  } catch (error) {
    const count = countSpans([ss], reader.spansOf);
    reader.rejected.push({ path, reason: rejection(error), spans: count });
    return;
  }
  for (let k = 0; k < spans.length; k++) {
    try {
      out.push(reader.decodeSpan(spans[k] as P, origin));
    } catch (error) {
      reader.rejected.push({ path: `${path}.spans[${k}]`, reason: rejection(error), spans: 1 });
    }
  }
}

/** Walk resourceSpans → scopeSpans → spans, rejecting the smallest broken unit and keeping the rest. */
export function walkOtlp<R, S, P>(resourceSpans: readonly unknown[], reader: EnvelopeReader<R, S, P>): DecodedSpan[] {
  const out: DecodedSpan[] = [];
  for (let i = 0; i < resourceSpans.length; i++) {
    const rs = resourceSpans[i] as R;
    let scopes: unknown[];
    try {
      scopes = asArray(reader.scopesOf(rs), "scopeSpans");
    } catch (error) {
      reader.rejected.push({ path: `resourceSpans[${i}]`, reason: rejection(error), spans: 0 });
      continue;
    }
    for (let j = 0; j < scopes.length; j++) {
      walkScope(rs, scopes[j] as S, `resourceSpans[${i}].scopeSpans[${j}]`, reader, out);
    }
  }
  return out;
}
