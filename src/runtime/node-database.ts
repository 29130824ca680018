import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@libsql/client";
import { createLibsqlDb, type Database } from "../db/client";
import { migrateLibsql } from "../db/migrate-libsql";

export const MIGRATIONS_FOLDER = join(dirname(fileURLToPath(import.meta.url)), "../db/drizzle-migrations");

/** The file a `file:` URL names, or undefined for remote (libsql://, http(s)://) databases. */
export function localDatabasePath(url: string): string | undefined {
  return url.startsWith("file:") ? resolve(url.slice("file:".length)) : undefined;
}

/**
 * Opens the Node host's database and brings it to the committed schema. A local file gets
 * WAL (readers never block the writer) and a busy timeout (concurrent writers wait, not fail).
 */
export async function openNodeDatabase(url: string, authToken?: string): Promise<{ db: Database; client: Client }> {
  const path = localDatabasePath(url);
  if (path) {
    mkdirSync(dirname(path), { recursive: true });
  }
  // One connection for a local file: the PRAGMAs below are per connection (a pooled second
  // connection would run without foreign keys or busy timeout, with synchronous=FULL), and libsql's
  // file calls are synchronous, so more connections add no parallelism, only page-cache flushes.
  const client = createClient({ url, ...(authToken ? { authToken } : {}), ...(path ? { concurrency: 1 } : {}) });
  if (path) {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA busy_timeout = 5000");
    await client.execute("PRAGMA synchronous = NORMAL");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const db = createLibsqlDb(client);
  await migrateLibsql(db, MIGRATIONS_FOLDER);
  return { db, client };
}
