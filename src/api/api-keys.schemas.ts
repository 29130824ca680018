import { z } from "@hono/zod-openapi";
import { ID_PATTERN } from "../db/ids";
import { workspaceRole } from "../db/schema/enums";
import type { CreatedApiKey } from "../workspaces";
import { toIdPageJson } from "./id-cursor";
import { CursorPage, CursorQuery } from "./pagination";

/** A path id: a short prefix and url-safe characters (`key_…`, `mem_…`). */
export const IdParam = z
  .string()
  .max(100)
  .regex(ID_PATTERN, "not an id")
  .openapi({ param: { name: "id", in: "path" } });

/** What lists show about a key: never the secret, never its hash. */
export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(workspaceRole),
    key_prefix: z.string().openapi({ description: "The key's first characters, to recognise it" }),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi("ApiKey");

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().openapi({ description: "The secret key. Shown once: only its hash is stored." }),
}).openapi("CreatedApiKey");

export const ApiKeyPage = CursorPage("api_keys", ApiKeySchema).openapi("ApiKeyPage");
export const ListApiKeysQuery = z.object(CursorQuery);
export const ApiKeyIdParams = z.object({ id: IdParam });

export const CreateApiKeyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: z.enum(workspaceRole).default("member"),
  })
  .openapi("CreateApiKeyBody");

interface ApiKeyRow {
  id: string;
  name: string;
  role: (typeof workspaceRole)[number];
  keyPrefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Picks fields one by one, so a stored hash can never reach the wire by accident. */
export function toApiKeyJson(row: ApiKeyRow): z.infer<typeof ApiKeySchema> {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    key_prefix: row.keyPrefix,
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
    revoked_at: row.revokedAt,
  };
}

export function toCreatedApiKeyJson(created: CreatedApiKey): z.infer<typeof CreatedApiKeySchema> {
  return { ...toApiKeyJson(created.apiKey), key: created.key };
}

export function toApiKeyPageJson(page: { items: ApiKeyRow[]; hasMore: boolean }): z.infer<typeof ApiKeyPage> {
  return toIdPageJson("api_keys", page, toApiKeyJson);
}
