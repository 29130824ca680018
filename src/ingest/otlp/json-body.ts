// Parses an OTLP/JSON body from its bytes without ever building one string of the whole body.
//
// A 20 MB export decoded at once is a 20–40 MB string that lives only to be parsed: V8 allocates it in
// its large-object space, fresh pages every time, and where page faults are expensive (virtual
// machines) building it cost more than parsing it. Nearly all of an export is its span arrays, so a
// byte-level scan finds them and each is parsed in pieces of a few kilobytes; the rest of the body
// (resources, scopes) is parsed as one small text with a marker where each span array was. The
// result is exactly what JSON.parse of the whole body returns, and a body the scan cannot follow
// (malformed, or shaped unlike an export) is parsed whole, so errors read as JSON.parse's own.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Bytes of span elements per parsed piece: its string stays a young-generation object (< 128 KiB). */
const PIECE_BYTES = 32 * 1024;

const RESOURCE_SPANS_KEYS = new Set(["resourceSpans", "resource_spans"]);
const SCOPE_SPANS_KEYS = new Set(["scopeSpans", "scope_spans"]);

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The scan met something other than a well-formed export's structure: parse the body whole instead. */
class Unfollowable extends Error {}

/** One span array: the byte ranges of its pieces, each a run of whole elements. */
type SpanArray = [start: number, end: number][];

class BodyScanner {
  private pos: number;
  /** Skeleton text around the span arrays, as byte ranges and markers. */
  readonly skeleton: (string | [number, number])[] = [];
  readonly spanArrays: SpanArray[] = [];
  private copiedTo: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
  ) {
    this.pos = start;
    this.copiedTo = start;
  }

  scanBody(): void {
    this.skipWhitespace();
    this.scanObject((key) => {
      if (RESOURCE_SPANS_KEYS.has(key)) {
        this.scanArray(() => this.scanObjectOrSkip((scopeKey) => this.scopeSpansMember(scopeKey)));
      } else {
        this.skipValue();
      }
    });
    this.skipWhitespace();
    if (this.pos !== this.bytes.length) {
      throw new Unfollowable();
    }
    this.skeleton.push([this.copiedTo, this.bytes.length]);
  }

  private scopeSpansMember(key: string): void {
    if (!SCOPE_SPANS_KEYS.has(key)) {
      this.skipValue();
      return;
    }
    this.scanArray(() =>
      this.scanObjectOrSkip((spanKey) => {
        if (spanKey === "spans" && this.bytes[this.pos] === OPEN_BRACKET) {
          this.splitSpanArray();
        } else {
          this.skipValue();
        }
      }),
    );
  }

  /** Replaces a span array by a marker `[n]` in the skeleton and records its pieces. */
  private splitSpanArray(): void {
    const marker = this.spanArrays.length;
    this.skeleton.push([this.copiedTo, this.pos], `[${marker}]`);
    const pieces: SpanArray = [];
    let pieceStart = -1;
    let lastEnd = -1;
    this.scanArray(() => {
      const start = this.pos;
      if (pieceStart >= 0 && start - pieceStart > PIECE_BYTES) {
        pieces.push([pieceStart, lastEnd]);
        pieceStart = -1;
      }
      if (pieceStart < 0) {
        pieceStart = start;
      }
      this.skipValue();
      lastEnd = this.pos;
    });
    if (pieceStart >= 0) {
      pieces.push([pieceStart, lastEnd]);
    }
    this.spanArrays.push(pieces);
    this.copiedTo = this.pos;
  }

  private scanObjectOrSkip(onMember: (key: string) => void): void {
    if (this.bytes[this.pos] === OPEN_BRACE) {
      this.scanObject(onMember);
    } else {
      this.skipValue();
    }
  }

  /** `{ "key": value, … }`, calling onMember with the position at the value. */
  private scanObject(onMember: (key: string) => void): void {
    this.scanSequence(OPEN_BRACE, CLOSE_BRACE, () => {
      const key = this.readKey();
      this.skipWhitespace();
      this.expect(COLON);
      this.skipWhitespace();
      onMember(key);
    });
  }

  /** `[ value, … ]`, calling onElement with the position at each element. */
  private scanArray(onElement: () => void): void {
    this.scanSequence(OPEN_BRACKET, CLOSE_BRACKET, onElement);
  }

  /** `open item, item, … close` with whitespace anywhere between. */
  private scanSequence(open: number, close: number, onItem: () => void): void {
    this.expect(open);
    this.skipWhitespace();
    if (this.bytes[this.pos] === close) {
      this.pos++;
      return;
    }
    for (;;) {
      onItem();
      this.skipWhitespace();
      if (this.bytes[this.pos] !== COMMA) {
        this.expect(close);
        return;
      }
      this.pos++;
      this.skipWhitespace();
    }
  }

  private readKey(): string {
    if (this.bytes[this.pos] !== QUOTE) {
      throw new Unfollowable();
    }
    const start = this.pos + 1;
    this.skipString();
    const raw = this.bytes.subarray(start, this.pos - 1);
    // Keys we look for are short ASCII; a key with an escape is read as JSON would read it.
    const text = utf8.decode(raw);
    return raw.includes(BACKSLASH) ? (JSON.parse(`"${text}"`) as string) : text;
  }

  /** Past the string that starts at pos: to the first quote not escaped by an odd run of backslashes. */
  private skipString(): void {
    const bytes = this.bytes;
    let from = this.pos + 1;
    for (;;) {
      const quote = bytes.indexOf(QUOTE, from);
      if (quote < 0) {
        throw new Unfollowable();
      }
      let backslashes = 0;
      while (bytes[quote - 1 - backslashes] === BACKSLASH) {
        backslashes++;
      }
      from = quote + 1;
      if (backslashes % 2 === 0) {
        this.pos = from;
        return;
      }
    }
  }

  /**
   * Past one value, trusting its inside to the JSON.parse that will read it: strings are skipped
   * whole, brackets only counted, and a scalar runs to the next delimiter.
   */
  private skipValue(): void {
    const bytes = this.bytes;
    const first = bytes[this.pos];
    if (first === QUOTE) {
      this.skipString();
      return;
    }
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      while (this.pos < bytes.length && !isDelimiter(bytes[this.pos] as number)) {
        this.pos++;
      }
      return;
    }
    let depth = 0;
    while (this.pos < bytes.length) {
      const byte = bytes[this.pos] as number;
      if (byte === QUOTE) {
        this.skipString();
        continue;
      }
      this.pos++;
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth++;
      } else if ((byte === CLOSE_BRACE || byte === CLOSE_BRACKET) && --depth === 0) {
        return;
      }
    }
    throw new Unfollowable();
  }

  private skipWhitespace(): void {
    const bytes = this.bytes;
    while (isWhitespace(bytes[this.pos] as number)) {
      this.pos++;
    }
  }

  private expect(byte: number): void {
    if (this.bytes[this.pos] !== byte) {
      throw new Unfollowable();
    }
    this.pos++;
  }
}

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function isDelimiter(byte: number): boolean {
  return byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhitespace(byte);
}

/** The span arrays of a parsed skeleton, reached the way the OTLP decoder reads them. */
function* spanArraysOf(skeleton: unknown): Generator<{ holder: Record<string, unknown>; marker: unknown }> {
  const objects = (value: unknown): Record<string, unknown>[] =>
    Array.isArray(value) ? value.filter((v) => typeof v === "object" && v !== null && !Array.isArray(v)) : [];
  const body = skeleton as Record<string, unknown>;
  // Every array at these places was replaced by a marker, under either spelling of the key.
  for (const resource of objects(body.resourceSpans ?? body.resource_spans)) {
    for (const scope of objects(resource.scopeSpans ?? resource.scope_spans)) {
      if (Array.isArray(scope.spans)) {
        yield { holder: scope, marker: scope.spans[0] };
      }
    }
  }
}

/**
 * The value of a UTF-8 JSON body, as `JSON.parse` of its text would give it, built without a
 * string of the whole body when the body is shaped like an OTLP export.
 * @throws TypeError when the body is not valid UTF-8, SyntaxError when it is not valid JSON
 */
export function parseOtlpJsonBody(bytes: Uint8Array): unknown {
  // A leading byte-order mark is not part of the text (as TextDecoder reads it).
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const scanner = new BodyScanner(bytes, start);
  try {
    scanner.scanBody();
  } catch (error) {
    if (error instanceof Unfollowable) {
      return JSON.parse(utf8.decode(bytes.subarray(start)));
    }
    throw error;
  }
  const text = scanner.skeleton.map((part) => (typeof part === "string" ? part : utf8.decode(bytes.subarray(...part))));
  const skeleton: unknown = JSON.parse(text.join(""));
  for (const { holder, marker } of spanArraysOf(skeleton)) {
    const pieces = scanner.spanArrays[marker as number] ?? [];
    const spans: unknown[] = [];
    for (const [from, to] of pieces) {
      for (const span of JSON.parse(`[${utf8.decode(bytes.subarray(from, to))}]`) as unknown[]) {
        spans.push(span);
      }
    }
    holder.spans = spans;
  }
  return skeleton;
}
