import type { JsonValue } from "../../traces/model";

const MAX_SAFE_DIGITS = 15; // every integer of at most 15 digits is below 2^53

/**
 * JSON.parse that keeps integers beyond Number.MAX_SAFE_INTEGER exact, as decimal strings.
 *
 * Why this way: the reviver `context.source` argument (JSON.parse source text access) would be the
 * clean fix, but Node 20 does not have it, and a reviver without it only sees the already-rounded
 * number. So one linear pass over the text quotes every unsafe integer token in a value position,
 * then the native JSON.parse does the real work. Floats, exponents and safe integers are untouched,
 * and text that is not JSON stays not JSON (a number where a key belongs is left alone), so errors
 * are JSON.parse's own.
 * @throws SyntaxError exactly when JSON.parse would
 */
export function parseJsonExact(text: string): JsonValue {
  return JSON.parse(quoteUnsafeIntegers(text)) as JsonValue;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** A value (not a key) comes next after `:`, `[`, the start, or `,` inside an array. */
function atValuePosition(previous: number, inArray: boolean): boolean {
  return previous === 0x3a || previous === 0x5b || previous === -1 || (previous === 0x2c && inArray);
}

function quoteUnsafeIntegers(text: string): string {
  let out = "";
  let copiedUpTo = 0;
  let previous = -1; // last significant character code; -1 at the start
  const containers: boolean[] = []; // true for an array, false for an object
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      i = skipString(text, i);
      previous = QUOTE;
      continue;
    }
    if (code === 0x2d || (code >= 0x30 && code <= 0x39)) {
      const end = numberEnd(text, i);
      if (atValuePosition(previous, containers.at(-1) === true) && isUnsafeInteger(text, i, end)) {
        out += `${text.slice(copiedUpTo, i)}"${text.slice(i, end)}"`;
        copiedUpTo = end;
      }
      previous = 0x30;
      i = end;
      continue;
    }
    if (code === 0x5b || code === 0x7b) {
      containers.push(code === 0x5b);
    } else if (code === 0x5d || code === 0x7d) {
      containers.pop();
    }
    if (!isSpace(code)) {
      previous = code;
    }
    i++;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** Index just past the closing quote of the string starting at `start` (or the end of text). */
function skipString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) {
      i += 2;
      continue;
    }
    if (code === QUOTE) {
      return i + 1;
    }
    i++;
  }
  return i;
}

function numberEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    const isDigitOrSign = (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d;
    if (!isDigitOrSign && code !== 0x2e && code !== 0x65 && code !== 0x45) {
      break;
    }
    i++;
  }
  return i;
}

function isUnsafeInteger(text: string, start: number, end: number): boolean {
  const token = text.slice(start, end);
  const digits = token.startsWith("-") ? token.slice(1) : token;
  if (digits.length <= MAX_SAFE_DIGITS || !/^[1-9][0-9]*$/.test(digits)) {
    return false;
  }
  return !Number.isSafeInteger(Number(token));
}
