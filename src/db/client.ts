import type { Client } from "@libsql/client";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { drizzle as drizzleD1 } from "drizzle-orm/d1";
import { drizzle as drizzleLibsql } from "drizzle-orm/libsql";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import * as schema from "./schema";

export type Schema = typeof schema;

/**
 * The one database type services are written against. D1 and libsql both satisfy it; the
 * driver-specific result of `.run()` is deliberately `unknown` so no service depends on it
 * (use `.returning()` to learn what a write touched).
 */
export type Database = BaseSQLiteDatabase<"async", unknown, Schema> & {
  batch<U extends BatchItem<"sqlite">, T extends Readonly<[U, ...U[]]>>(batch: T): Promise<BatchResponse<T>>;
};

/** Drizzle over a D1 binding (Workers). */
export function createDb(d1: D1Database): Database {
  return drizzleD1(d1, { schema });
}

/** Same as {@link createDb}; the name request handlers read best with. */
export function getDb(d1: D1Database): Database {
  return createDb(d1);
}

/** Drizzle over a libsql client (Node: a `file:` path or a `libsql://` URL). */
export function createLibsqlDb(client: Client): Database {
  return drizzleLibsql(client, { schema });
}
