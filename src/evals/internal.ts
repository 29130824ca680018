import { and, type Column, eq, type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { type Eval, evals } from "../db/schema";
import { notFound } from "../errors";

export { IDS_PER_QUERY, queryInChunks } from "../db/chunk";
export { type Page, toPage } from "../db/page";

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

/**
 * `column IN (the ids)` with the whole list bound as ONE JSON parameter (SQLite's json_each), so a
 * list of any length stays within D1's 100 bound parameters and costs one query.
 */
export function inIdList(column: Column, ids: readonly string[]): SQL {
  return sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`;
}
