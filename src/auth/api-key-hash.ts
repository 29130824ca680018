const KEY_PREFIX = "iof_";
const KEY_RANDOM_BYTES = 32;

function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * SHA-256 of the key. Keys carry 256 random bits, so a fast unsalted hash is enough: there is
 * nothing to brute-force, and lookups by hash stay one indexed read per request.
 */
export async function hashApiKey(key: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
}

/** A new secret API key (`iof_` + 43 base64url characters) and the prefix shown in lists. */
export function generateApiKey(): { key: string; prefix: string } {
  const bytes = crypto.getRandomValues(new Uint8Array(KEY_RANDOM_BYTES));
  let binary = "";
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  const key = KEY_PREFIX + btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 6) };
}
