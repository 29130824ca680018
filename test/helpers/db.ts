import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll } from "vitest";
import { createLibsqlDb, type Database } from "../../src/db/client";
import { migrateLibsql } from "../../src/db/migrate-libsql";

export const MIGRATIONS_FOLDER = join(import.meta.dirname, "../../src/db/drizzle-migrations");

/**
 * A fresh database built by the committed migrations, in a temp file (`:memory:` silently
 * becomes a new empty database after a transaction: libsql-client-ts#229). Removed after the file's tests.
 */
export async function createTestDb(): Promise<{ db: Database; client: Client; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "iofold-test-"));
  const url = `file:${join(dir, "test.db")}`;
  const client = createClient({ url });
  await client.execute("PRAGMA foreign_keys = ON");
  const db = createLibsqlDb(client);
  await migrateLibsql(db, MIGRATIONS_FOLDER);
  afterAll(() => {
    client.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, client, url };
}
