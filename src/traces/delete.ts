import { and, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../context";
import { IDS_PER_QUERY } from "../db/chunk";
import { traces } from "../db/schema";
import { notFound } from "../errors";
import { runBatch } from "./writes";

// Foreign keys cascade from a trace to its payload chunks, label and eval executions (candidate ones
// too); taskset tasks and run results keep their row and lose the link. Label history is kept on purpose.

/**
 * Deletes one trace and everything that hangs off it.
 * @throws NOT_FOUND when the trace is not in the workspace.
 */
export async function deleteTrace(ctx: Ctx, id: string): Promise<void> {
  const deleted = await ctx.db
    .delete(traces)
    .where(and(eq(traces.id, id), eq(traces.workspaceId, ctx.workspaceId)))
    .returning({ id: traces.id });
  if (deleted.length === 0) {
    throw notFound("trace", id);
  }
}

/** Deletes those of `ids` that are the workspace's traces, all in one batch; returns how many were. */
export async function deleteTraces(ctx: Ctx, ids: readonly string[]): Promise<number> {
  const unique = [...new Set(ids)];
  const statements = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    statements.push(
      ctx.db
        .delete(traces)
        .where(and(eq(traces.workspaceId, ctx.workspaceId), inArray(traces.id, unique.slice(i, i + IDS_PER_QUERY))))
        .returning({ id: traces.id }),
    );
  }
  const results = await runBatch(ctx, statements);
  return results.reduce<number>((sum, r) => sum + (r as unknown[]).length, 0);
}
