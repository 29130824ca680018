import { and, eq, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { integrations } from "../db/schema";
import type { ExternalServiceError } from "../errors";
import { EPOCH, type ImportPayload, type ImportStart } from "./payload";

const MAX_ERROR_CHARS = 1000;

const ofIntegration = (ctx: Ctx, id: string) =>
  and(eq(integrations.id, id), eq(integrations.workspaceId, ctx.workspaceId));

/**
 * When the stored cursor may be replaced by `next`, as a SQL condition (two imports finishing at
 * once cannot move it backwards over each other). A window moves it only when it began at or
 * before the stored cursor (no cursor: the beginning of time), so no gap is ever skipped, and ends
 * past it. An OpenAI walk moves it when it started from the stored position or walked the whole list.
 */
function cursorMayMove(start: ImportStart, next: Record<string, unknown>): SQL | undefined {
  const stored = (key: string) => sql`json_extract(${integrations.syncCursor}, ${`$.${key}`})`;
  if (start.kind === "window") {
    const from = sql`coalesce(${stored("from")}, ${EPOCH})`;
    return sql`(${from} >= ${start.from} and ${from} < ${String(next.from)})`;
  }
  return start.after === null
    ? undefined
    : or(isNull(integrations.syncCursor), sql`${stored("after")} = ${start.after}`);
}

/**
 * A finished import: `last_synced_at`, the integration back to `active` (the key works), and the
 * high-water mark the next import without `date_from` continues from. Filtered imports saw only
 * part of the source, so they leave the cursor alone.
 */
export async function recordSync(ctx: Ctx, payload: ImportPayload, next: Record<string, unknown> | null) {
  const now = ctx.deps.clock.now().toISOString();
  const where = ofIntegration(ctx, payload.integration_id);
  const synced = ctx.db
    .update(integrations)
    .set({ lastSyncedAt: now, status: "active", errorMessage: null, updatedAt: now })
    .where(where);
  if (!payload.moves_sync_cursor || next === null) {
    await synced;
    return;
  }
  const cursor = ctx.db
    .update(integrations)
    .set({ syncCursor: next })
    .where(and(where, cursorMayMove(payload.start, next)));
  await ctx.db.batch([synced, cursor]);
}

/** The source refused the stored key: the integration shows it until the key is replaced or tested again. */
export async function markIntegrationAuthError(ctx: Ctx, integrationId: string, err: ExternalServiceError) {
  await ctx.db
    .update(integrations)
    .set({
      status: "error",
      errorMessage: `Import failed: ${err.message}`.slice(0, MAX_ERROR_CHARS),
      updatedAt: ctx.deps.clock.now().toISOString(),
    })
    .where(ofIntegration(ctx, integrationId));
}
