/**
 * The exact source text of each element of the array under top-level `key` in a JSON object
 * text, so a consumer can re-parse one item without the precision JSON.parse loses (integers
 * beyond 2^53). The text must already be valid JSON (callers JSON.parse it first). Returns null
 * when the top-level value is not an object or has no such array.
 */
export function arrayItemTexts(text: string, key: string): string[] | null {
  const start = findTopLevelValue(text, key);
  if (start === -1 || text[start] !== "[") {
    return null;
  }
  const items: string[] = [];
  let i = skipWhitespace(text, start + 1);
  if (text[i] === "]") {
    return items;
  }
  while (i < text.length) {
    const end = valueEnd(text, i);
    items.push(text.slice(i, end));
    i = skipWhitespace(text, end);
    if (text[i] === "]") {
      return items;
    }
    i = skipWhitespace(text, i + 1); // the comma
  }
  return null;
}

/** Index where the value of top-level `key` starts, or -1. */
function findTopLevelValue(text: string, key: string): number {
  let i = skipWhitespace(text, 0);
  if (text[i] !== "{") {
    return -1;
  }
  i = skipWhitespace(text, i + 1);
  while (i < text.length && text[i] === '"') {
    const keyEnd = stringEnd(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    const valueStart = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1); // past the colon
    if (name === key) {
      return valueStart;
    }
    i = skipWhitespace(text, valueEnd(text, valueStart));
    if (text[i] !== ",") {
      return -1;
    }
    i = skipWhitespace(text, i + 1);
  }
  return -1;
}

/** Index just past the JSON value starting at `start`. */
function valueEnd(text: string, start: number): number {
  const first = text[start];
  if (first === '"') {
    return stringEnd(text, start);
  }
  if (first !== "{" && first !== "[") {
    let i = start;
    while (i < text.length && !",]} \t\r\n".includes(text.charAt(i))) {
      i++;
    }
    return i;
  }
  let depth = 0;
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = stringEnd(text, i);
      continue;
    }
    if (ch === "{" || ch === "[") {
      depth++;
    } else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) {
        return i + 1;
      }
    }
    i++;
  }
  return i;
}

/** Index just past the closing quote of the string that starts at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\") {
      i += 2;
      continue;
    }
    if (ch === '"') {
      return i + 1;
    }
    i++;
  }
  return i;
}

function skipWhitespace(text: string, start: number): number {
  let i = start;
  while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) {
    i++;
  }
  return i;
}
