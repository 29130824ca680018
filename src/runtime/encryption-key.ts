import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { AppConfig } from "../config";
import { ConfigError } from "../config";
import { localDatabasePath } from "./node-database";

/**
 * ENCRYPTION_KEY if set. Otherwise, for a local database file, a key generated once and kept
 * beside it (mode 0600), so the embedded default needs no set-up and secrets are still encrypted.
 * A remote database shared by several hosts needs the same explicit key on every host.
 */
export function resolveEncryptionKey(config: AppConfig): string {
  if (config.encryptionKey) {
    return config.encryptionKey;
  }
  const dbPath = localDatabasePath(config.databaseUrl);
  if (!dbPath) {
    throw new ConfigError(["ENCRYPTION_KEY is required when DATABASE_URL is not a local file"]);
  }
  const keyFile = join(dirname(dbPath), ".encryption-key");
  if (!existsSync(keyFile)) {
    writeFileSync(keyFile, randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  chmodSync(keyFile, 0o600);
  return readFileSync(keyFile, "utf8").trim();
}
