import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { prepared } from "../db/prepared";
import { apiKeys, workspaces } from "../db/schema";
import type { WorkspaceRole } from "../db/schema/enums";
import { hashApiKey } from "./api-key-hash";

export const DEFAULT_WORKSPACE_ID = "workspace_default";

/** How stale `last_used_at` may get before a request refreshes it (avoids a write per request). */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ResolvedKey {
  apiKeyId: string;
  workspaceId: string;
  role: WorkspaceRole;
}

function keyByHash(db: Database) {
  return prepared(db, "auth.keyByHash", (d) =>
    d
      .select({ id: apiKeys.id, workspaceId: apiKeys.workspaceId, role: apiKeys.role, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, sql.placeholder("keyHash")), isNull(apiKeys.revokedAt)))
      .limit(1)
      .prepare(),
  );
}

/**
 * The live (not revoked) key matching `key`, or null. Runs on every request in key mode, so it is one
 * prepared read; `last_used_at` is written only when it is more than a minute old.
 */
export async function resolveApiKey(db: Database, key: string, now: Date): Promise<ResolvedKey | null> {
  const row = await keyByHash(db).get({ keyHash: await hashApiKey(key) });
  if (!row) {
    return null;
  }
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS).toISOString();
  if (row.lastUsedAt === null || row.lastUsedAt < staleBefore) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now.toISOString() })
      .where(and(eq(apiKeys.id, row.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
  }
  return { apiKeyId: row.id, workspaceId: row.workspaceId, role: row.role };
}

/** Local mode creates workspaces on first use, so a fresh install needs no set-up. */
export async function ensureWorkspace(db: Database, workspaceId: string): Promise<void> {
  const name = workspaceId === DEFAULT_WORKSPACE_ID ? "Default workspace" : workspaceId;
  await db.insert(workspaces).values({ id: workspaceId, name }).onConflictDoNothing();
}
