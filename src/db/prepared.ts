import type { Database } from "./client";

// Prepared statements are bound to one database handle, so they are cached per handle. A WeakMap keeps
// the cache's life tied to the handle's (tests open many databases; nothing leaks).
const cache = new WeakMap<Database, Map<string, unknown>>();

/**
 * The prepared statement `key` for `db`, built once by `build`. Hot-path queries go through this:
 * Drizzle's query builder costs ~2x a raw driver call per query, a prepared statement ~1.1x
 * (bench/drizzle-overhead.ts). Use `sql.placeholder("name")` for the values.
 */
export function prepared<T>(db: Database, key: string, build: (db: Database) => T): T {
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(key) as T | undefined;
  if (statement === undefined) {
    statement = build(db);
    statements.set(key, statement);
  }
  return statement;
}
