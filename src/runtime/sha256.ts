import { createHash } from "node:crypto";

/**
 * SHA-256 as lower-case hex, for `Deps.sha256Hex`. node:crypto exists on both hosts (Workers through
 * nodejs_compat) and hashes synchronously; WebCrypto's digest is a thread-pool round trip per call,
 * which cost more than the hashing itself on trace ingest (one digest per trace).
 */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
