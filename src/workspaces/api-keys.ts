import { and, desc, eq, isNull, lt } from "drizzle-orm";
import { generateApiKey, hashApiKey } from "../auth/api-key-hash";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type ApiKey, apiKeys } from "../db/schema";
import type { WorkspaceRole } from "../db/schema/enums";
import { getApiKeyOrThrow, type Page, type PageInput, toPage } from "./internal";
import { requireOutranksOrEquals, requireRole } from "./roles";
import { runWritePlan, type WritePlan } from "./write-plan";

export interface CreateApiKeyInput {
  name: string;
  role: WorkspaceRole;
}

/** A key as stored, plus the secret itself: returned once, at creation, and never again. */
export interface CreatedApiKey {
  apiKey: ApiKey;
  key: string;
}

type KeyCtx = Pick<Ctx, "db" | "deps">;

/** Builds a new key for `workspaceId`; only the SHA-256 hash and a short prefix are stored. */
export async function planApiKeyInsert(
  ctx: KeyCtx,
  workspaceId: string,
  input: CreateApiKeyInput,
): Promise<WritePlan<CreatedApiKey>> {
  const now = ctx.deps.clock.now();
  const { key, prefix } = generateApiKey();
  const apiKey: ApiKey = {
    id: newId("apiKey", now.getTime()),
    workspaceId,
    name: input.name,
    role: input.role,
    keyHash: await hashApiKey(key),
    keyPrefix: prefix,
    createdByUserId: null,
    lastUsedAt: null,
    revokedAt: null,
    createdAt: now.toISOString(),
  };
  return { writes: [ctx.db.insert(apiKeys).values(apiKey)], result: { apiKey, key } };
}

/**
 * The statements that mint a key in the caller's workspace.
 * @throws FORBIDDEN for members, and when the new key's role outranks the caller's.
 */
export async function planCreateApiKey(ctx: Ctx, input: CreateApiKeyInput): Promise<WritePlan<CreatedApiKey>> {
  requireRole(ctx.actor, "admin", "create API keys");
  requireOutranksOrEquals(ctx.actor, input.role, "create an API key");
  return planApiKeyInsert(ctx, ctx.workspaceId, input);
}

export async function createApiKey(ctx: Ctx, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  return runWritePlan(ctx.db, await planCreateApiKey(ctx, input));
}

/** Newest first. Rows carry the hash; serializers must never send it. */
export async function listApiKeys(ctx: Ctx, page: PageInput): Promise<Page<ApiKey>> {
  requireRole(ctx.actor, "admin", "list API keys");
  const rows = await ctx.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.workspaceId, ctx.workspaceId), page.afterId ? lt(apiKeys.id, page.afterId) : undefined))
    .orderBy(desc(apiKeys.id))
    .limit(page.limit + 1);
  return toPage(rows, page.limit);
}

/**
 * Sets `revoked_at`; the key then authenticates nothing. Revoking a revoked key changes nothing.
 * @throws NOT_FOUND for a key of another workspace, FORBIDDEN for members and for an admin
 * revoking an owner key.
 */
export async function revokeApiKey(ctx: Ctx, apiKeyId: string): Promise<void> {
  requireRole(ctx.actor, "admin", "revoke API keys");
  const key = await getApiKeyOrThrow(ctx, apiKeyId);
  requireOutranksOrEquals(ctx.actor, key.role, "revoke an API key");
  await ctx.db
    .update(apiKeys)
    .set({ revokedAt: ctx.deps.clock.now().toISOString() })
    .where(and(eq(apiKeys.id, key.id), eq(apiKeys.workspaceId, ctx.workspaceId), isNull(apiKeys.revokedAt)));
}
