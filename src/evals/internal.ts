import { and, type Column, eq, type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { MAX_BOUND_PARAMETERS } from "../db/chunk";
import { type Eval, evals } from "../db/schema";
import { notFound } from "../errors";

/** An eval of the caller's workspace; another workspace's eval is a plain 404. */
export async function getEvalOrThrow(ctx: Ctx, evalId: string): Promise<Eval> {
  const [row] = await ctx.db
    .select()
    .from(evals)
    .where(and(eq(evals.id, evalId), eq(evals.workspaceId, ctx.workspaceId)))
    .limit(1);
  if (!row) {
    throw notFound("eval", evalId);
  }
  return row;
}

/** Keyset page: callers fetch `limit + 1` rows; the extra one only says whether more exist. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

export function toPage<T>(rows: T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}

// Leaves room for the other parameters of a query: D1 binds at most 100 per statement.
export const IDS_PER_QUERY = MAX_BOUND_PARAMETERS - 10;

/** Runs `query` over `ids` in groups small enough for D1 and concatenates the results. */
export async function queryInChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
    results.push(...(await query(ids.slice(i, i + IDS_PER_QUERY))));
  }
  return results;
}

/**
 * `column IN (the ids)` with the whole list bound as ONE JSON parameter (SQLite's json_each), so a
 * list of any length stays within D1's 100 bound parameters and costs one query.
 */
export function inIdList(column: Column, ids: readonly string[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`;
}
