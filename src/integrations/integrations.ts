import { and, asc, eq, gt } from "drizzle-orm";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type Integration, integrations } from "../db/schema";
import type { IntegrationPlatform } from "../db/schema/enums";
import { checkConfig } from "./config";
import { checkApiKey, resolveBaseUrl } from "./credentials";
import { assertNameFree, getIntegrationOrThrow, requireAdmin } from "./internal";
import { checkBaseUrlAllowed } from "./url-policy";

export interface CreateIntegrationInput {
  platform: IntegrationPlatform;
  name: string;
  apiKey: string;
  /** Omitted: the platform's own cloud. */
  baseUrl?: string | undefined;
  config?: Record<string, unknown> | undefined;
}

export interface UpdateIntegrationInput {
  name?: string | undefined;
  /** null: back to the platform's default. */
  baseUrl?: string | null | undefined;
  apiKey?: string | undefined;
  /** null: clear every option. */
  config?: Record<string, unknown> | null | undefined;
}

/** Keyset pagination on the time-sortable id (oldest first). */
export interface IntegrationPageInput {
  afterId: string | undefined;
  limit: number;
}

export interface IntegrationPage {
  items: Integration[];
  hasMore: boolean;
}

/**
 * Stores a new source; the key is encrypted with `deps.secrets` before it reaches the database.
 * @throws FORBIDDEN below admin, VALIDATION_ERROR for a key, base URL or config the platform cannot
 * use, ALREADY_EXISTS for a name already used in the workspace.
 */
export async function createIntegration(ctx: Ctx, input: CreateIntegrationInput): Promise<Integration> {
  requireAdmin(ctx.actor, "add integrations");
  checkApiKey(input.platform, input.apiKey);
  const baseUrl = resolveBaseUrl(input.platform, input.baseUrl);
  checkBaseUrlAllowed(baseUrl, ctx.deps.config.allowPrivateSourceUrls);
  const config = checkConfig(input.platform, input.config ?? {});
  await assertNameFree(ctx, input.name);
  const now = ctx.deps.clock.now();
  const row: Integration = {
    id: newId("integration", now.getTime()),
    workspaceId: ctx.workspaceId,
    name: input.name,
    platform: input.platform,
    baseUrl,
    apiKeyEncrypted: await ctx.deps.secrets.encrypt(input.apiKey),
    config,
    status: "active",
    errorMessage: null,
    lastSyncedAt: null,
    syncCursor: null,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await ctx.db.insert(integrations).values(row);
  return row;
}

export async function listIntegrations(ctx: Ctx, page: IntegrationPageInput): Promise<IntegrationPage> {
  const rows = await ctx.db
    .select()
    .from(integrations)
    .where(
      and(eq(integrations.workspaceId, ctx.workspaceId), page.afterId ? gt(integrations.id, page.afterId) : undefined),
    )
    .orderBy(asc(integrations.id))
    .limit(page.limit + 1);
  return { items: rows.slice(0, page.limit), hasMore: rows.length > page.limit };
}

/** @throws NOT_FOUND (also for another workspace's integration). */
export function getIntegration(ctx: Ctx, id: string): Promise<Integration> {
  return getIntegrationOrThrow(ctx, id);
}

/**
 * Changes what is given. New credentials (key or base URL) clear the last connection error:
 * it described the old ones.
 * @throws as {@link createIntegration}, and NOT_FOUND.
 */
export async function updateIntegration(ctx: Ctx, id: string, input: UpdateIntegrationInput): Promise<Integration> {
  requireAdmin(ctx.actor, "change integrations");
  const current = await getIntegrationOrThrow(ctx, id);
  const changes: Partial<Integration> = {};
  if (input.name !== undefined && input.name !== current.name) {
    await assertNameFree(ctx, input.name, id);
    changes.name = input.name;
  }
  if (input.baseUrl !== undefined) {
    changes.baseUrl = resolveBaseUrl(current.platform, input.baseUrl);
    checkBaseUrlAllowed(changes.baseUrl, ctx.deps.config.allowPrivateSourceUrls);
  }
  if (input.config !== undefined) {
    changes.config = checkConfig(current.platform, input.config ?? {});
  }
  if (input.apiKey !== undefined) {
    checkApiKey(current.platform, input.apiKey);
    changes.apiKeyEncrypted = await ctx.deps.secrets.encrypt(input.apiKey);
  }
  if (changes.apiKeyEncrypted !== undefined || (changes.baseUrl !== undefined && changes.baseUrl !== current.baseUrl)) {
    changes.status = "active";
    changes.errorMessage = null;
  }
  changes.updatedAt = ctx.deps.clock.now().toISOString();
  await ctx.db
    .update(integrations)
    .set(changes)
    .where(and(eq(integrations.id, id), eq(integrations.workspaceId, ctx.workspaceId)));
  return { ...current, ...changes };
}

/**
 * Removes the source. Its imported traces stay, with `integration_id` set to null (FK `set null`),
 * so labelled history survives a deleted or rotated source.
 * @throws FORBIDDEN below admin, NOT_FOUND.
 */
export async function deleteIntegration(ctx: Ctx, id: string): Promise<void> {
  requireAdmin(ctx.actor, "delete integrations");
  await getIntegrationOrThrow(ctx, id);
  await ctx.db.delete(integrations).where(and(eq(integrations.id, id), eq(integrations.workspaceId, ctx.workspaceId)));
}
