import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Database } from "./client";

/**
 * Applies the committed drizzle-kit migrations (the same SQL wrangler applies to D1).
 * `migrationsFolder` is a filesystem path, so only Node hosts and tests call this.
 */
export async function migrateLibsql(db: Database, migrationsFolder: string): Promise<void> {
  await migrate(db as unknown as LibSQLDatabase<Record<string, never>>, { migrationsFolder });
}
