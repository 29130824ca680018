import { sql } from "drizzle-orm";
import { text } from "drizzle-orm/sqlite-core";

// One timestamp format everywhere: ISO-8601 UTC with milliseconds, in SQL defaults too,
// so that ordering and range filters compare like with like.
export const ISO_NOW = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

export const createdAt = () => text("created_at").notNull().default(ISO_NOW);
export const updatedAt = () => text("updated_at").notNull().default(ISO_NOW);
