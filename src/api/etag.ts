/** A strong ETag of a JSON body: its SHA-256, so equal bodies (and only those) share a tag. */
export async function etagOf(body: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const b of digest) {
    hex += b.toString(16).padStart(2, "0");
  }
  return `"${hex}"`;
}

/**
 * Does an `If-None-Match` header name `etag`? RFC 9110 §13.1.2: a list of tags or `*`, compared
 * weakly (a `W/` prefix is ignored).
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) {
    return false;
  }
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .some((tag) => tag === "*" || tag === etag);
}
