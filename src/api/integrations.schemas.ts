import { z } from "@hono/zod-openapi";
import { integrationPlatform, integrationStatus } from "../db/schema/enums";
import {
  API_KEY_MASK,
  type ConnectionTestResult,
  defaultBaseUrls,
  type Integration,
  normalizeBaseUrl,
} from "../integrations";
import { IdParam } from "./api-keys.schemas";
import { toIdPageJson } from "./id-cursor";
import { CursorPage, CursorQuery } from "./pagination";

const MAX_CONFIG_KEYS = 32;
const MAX_CONFIG_JSON_CHARS = 16 * 1024;

const Name = z.string().trim().min(1).max(100);
const ApiKey = z
  .string()
  .trim()
  .min(1)
  .max(4096)
  .openapi({ description: "Langfuse: `public_key:secret_key`; LangSmith and OpenAI: the API key. Never returned." });
const BaseUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((url) => normalizeBaseUrl(url) !== null, "must be an http(s) URL without credentials, query or fragment")
  .openapi({ description: "Defaults to the platform's cloud; set it for self-hosted or regional servers" });
const Config = z
  .record(z.string().min(1).max(64), z.unknown())
  .refine((c) => Object.keys(c).length <= MAX_CONFIG_KEYS, `at most ${MAX_CONFIG_KEYS} keys`)
  .refine((c) => JSON.stringify(c).length <= MAX_CONFIG_JSON_CHARS, `at most ${MAX_CONFIG_JSON_CHARS} characters`)
  .openapi({
    description:
      "Platform options, never secrets. LangSmith: `project_id` or `project_name`; Langfuse: `import_scores`, " +
      "`score_name`; OpenAI: `metadata` filters, `model`",
  });

export const IntegrationSchema = z
  .object({
    id: z.string(),
    platform: z.enum(integrationPlatform),
    name: z.string(),
    base_url: z.string(),
    api_key: z.literal(API_KEY_MASK).openapi({ description: "Always masked: keys are write-only" }),
    config: z.record(z.string(), z.unknown()),
    status: z.enum(integrationStatus),
    error_message: z.string().nullable(),
    last_synced_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Integration");

export const IntegrationPageSchema = CursorPage("integrations", IntegrationSchema).openapi("IntegrationPage");
export const ListIntegrationsQuery = z.object(CursorQuery);
export const IntegrationIdParams = z.object({ id: IdParam });

export const CreateIntegrationBody = z
  .object({
    platform: z.enum(integrationPlatform),
    name: Name,
    api_key: ApiKey,
    base_url: BaseUrl.optional(),
    config: Config.optional(),
  })
  .openapi("CreateIntegrationBody");

export const UpdateIntegrationBody = z
  .object({
    name: Name.optional(),
    base_url: BaseUrl.nullable().optional().openapi({ description: "null: back to the platform's default" }),
    api_key: ApiKey.optional(),
    config: Config.nullable().optional().openapi({ description: "null: clear every option" }),
  })
  .openapi("UpdateIntegrationBody");

export const ConnectionTestSchema = z
  .object({
    success: z.boolean(),
    error: z.string().optional().openapi({ description: "Why the call failed (the service's answer, key redacted)" }),
    details: z
      .object({
        projects: z.array(z.object({ id: z.string(), name: z.string().nullable() })).optional(),
        project_id: z.string().nullable().optional(),
        has_stored_completions: z.boolean().optional(),
      })
      .optional(),
  })
  .openapi("ConnectionTest");

/** Picks fields one by one, so the ciphertext can never reach the wire by accident. */
export function toIntegrationJson(row: Integration): z.infer<typeof IntegrationSchema> {
  return {
    id: row.id,
    platform: row.platform,
    name: row.name,
    base_url: row.baseUrl ?? defaultBaseUrls[row.platform],
    api_key: API_KEY_MASK,
    config: row.config ?? {},
    status: row.status,
    error_message: row.errorMessage,
    last_synced_at: row.lastSyncedAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

export function toIntegrationPageJson(page: {
  items: Integration[];
  hasMore: boolean;
}): z.infer<typeof IntegrationPageSchema> {
  return toIdPageJson("integrations", page, toIntegrationJson);
}

export function toConnectionTestJson(result: ConnectionTestResult): z.infer<typeof ConnectionTestSchema> {
  const d = result.details;
  return {
    success: result.success,
    ...(result.error === undefined ? {} : { error: result.error }),
    ...(d === undefined
      ? {}
      : {
          details: {
            ...(d.projects ? { projects: d.projects } : {}),
            ...(d.projectId === undefined ? {} : { project_id: d.projectId }),
            ...(d.hasStoredCompletions === undefined ? {} : { has_stored_completions: d.hasStoredCompletions }),
          },
        }),
  };
}
