import type { PlannedWrite } from "../workspaces";

/** A SQLite literal. Strings are quoted with `'` doubled: SQLite string literals have no other escapes. */
function toLiteral(value: unknown): string {
  if (value === null || value === undefined) {
    return "NULL";
  }
  if (typeof value === "number" || typeof value === "bigint") {
    return String(value);
  }
  if (typeof value === "boolean") {
    return value ? "1" : "0";
  }
  if (typeof value === "string") {
    if (value.includes("\u0000")) {
      throw new Error("Cannot render a string containing NUL as SQL text");
    }
    return `'${value.replaceAll("'", "''")}'`;
  }
  throw new Error(`Cannot render a ${typeof value} as a SQL literal`);
}

/**
 * The statements as executable SQL text with their parameters inlined, one per line, for
 * `wrangler d1 execute --command`. Drizzle binds every value as a `?` parameter and quotes
 * identifiers with `"`, so each `?` in its SQL is a placeholder.
 */
export function renderWritesAsSql(writes: readonly PlannedWrite[]): string {
  return writes
    .map((write) => {
      const { sql, params } = write.toSQL();
      const parts = sql.split("?");
      if (parts.length !== params.length + 1) {
        throw new Error(`Statement has ${parts.length - 1} placeholders for ${params.length} parameters`);
      }
      return `${parts.map((part, i) => (i === 0 ? part : toLiteral(params[i - 1]) + part)).join("")};`;
    })
    .join("\n");
}
