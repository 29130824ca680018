import type { Deps } from "../context";
import type { Integration } from "../db/schema";
import { AppError } from "../errors";
import {
  LangfuseClient,
  LangSmithClient,
  type LangSmithProjectRef,
  OpenAIClient,
  type OpenAICompletionsQuery,
  type SourceClientOptions,
} from "../sources";
import { defaultBaseUrls, parseLangfuseKey } from "./credentials";
import { assertOutboundUrlAllowed } from "./url-policy";

/** A ready client for one integration, with the options its config sets. */
export type SourceClient =
  | { platform: "langfuse"; client: LangfuseClient; importScores: boolean; scoreName: string | undefined }
  | { platform: "langsmith"; client: LangSmithClient; project: LangSmithProjectRef }
  | { platform: "openai"; client: OpenAIClient; filters: OpenAICompletionsQuery };

/** What a successful connection test learned (camelCase; the router's serializer converts). */
export interface ConnectionDetails {
  projects?: { id: string; name: string | null }[];
  projectId?: string | null;
  hasStoredCompletions?: boolean;
}

const text = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * Decrypts the integration's key and builds its platform client (the one way the import job and
 * the connection test reach a source). `options.baseUrl` is always the integration's own.
 * @throws CONFIGURATION_ERROR when the stored key cannot be decrypted or has the wrong shape;
 * FORBIDDEN when the base URL is a private address and the server does not allow those.
 */
export async function openSourceClient(
  deps: Pick<Deps, "secrets" | "config" | "outboundFetch">,
  integration: Integration,
  options: SourceClientOptions = {},
): Promise<SourceClient> {
  const baseUrl = integration.baseUrl ?? defaultBaseUrls[integration.platform];
  assertOutboundUrlAllowed(baseUrl, deps.config.allowPrivateSourceUrls);
  const apiKey = await deps.secrets.decrypt(integration.apiKeyEncrypted);
  const clientOptions = {
    fetch: deps.outboundFetch,
    ...options,
    ...(integration.baseUrl ? { baseUrl: integration.baseUrl } : {}),
  };
  const config = integration.config ?? {};
  switch (integration.platform) {
    case "langfuse": {
      const credentials = parseLangfuseKey(apiKey);
      if (!credentials) {
        throw new AppError("CONFIGURATION_ERROR", "The stored Langfuse key is not `public_key:secret_key`");
      }
      return {
        platform: "langfuse",
        client: new LangfuseClient(credentials, clientOptions),
        importScores: config.import_scores === true,
        scoreName: text(config.score_name),
      };
    }
    case "langsmith":
      return {
        platform: "langsmith",
        client: new LangSmithClient(apiKey, clientOptions),
        project: { projectId: text(config.project_id), projectName: text(config.project_name) },
      };
    case "openai":
      return {
        platform: "openai",
        client: new OpenAIClient(apiKey, clientOptions),
        filters: {
          metadata: (config.metadata ?? undefined) as Record<string, string> | undefined,
          model: text(config.model),
        },
      };
  }
}

/** One real authenticated call on the platform. @throws ExternalServiceError */
export async function checkConnection(source: SourceClient): Promise<ConnectionDetails> {
  switch (source.platform) {
    case "langfuse":
      return { projects: (await source.client.testConnection()).projects };
    case "langsmith":
      return { projectId: (await source.client.testConnection(source.project)).projectId };
    case "openai":
      return { hasStoredCompletions: (await source.client.testConnection()).hasStoredCompletions };
  }
}
