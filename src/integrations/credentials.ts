import type { IntegrationPlatform } from "../db/schema/enums";
import { validationError } from "../errors";
import {
  LANGFUSE_DEFAULT_BASE_URL,
  LANGSMITH_DEFAULT_BASE_URL,
  type LangfuseCredentials,
  OPENAI_DEFAULT_BASE_URL,
} from "../sources";

/** Each platform's own cloud (the original defaulted every platform to Langfuse's). */
export const defaultBaseUrls: Record<IntegrationPlatform, string> = {
  langfuse: LANGFUSE_DEFAULT_BASE_URL,
  langsmith: LANGSMITH_DEFAULT_BASE_URL,
  openai: OPENAI_DEFAULT_BASE_URL,
};

/** The mask every response shows instead of the key. */
export const API_KEY_MASK = "********";

/**
 * The canonical form of a service base URL, or null when it is not one: http(s) only, and no
 * user-info, query or fragment (they would leak into logs or change every request). A path
 * prefix (a self-hosted server behind a proxy) is kept; trailing slashes are dropped.
 */
export function normalizeBaseUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password) {
    return null;
  }
  if (url.search || url.hash || raw.includes("?") || raw.includes("#")) {
    return null;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

// Keys travel in HTTP headers: printable ASCII without spaces, so no header injection is possible.
const KEY_CHARACTERS = /^[\x21-\x7e]+$/;

/** `public_key:secret_key` split in two, or null when the text is not of that shape. */
export function parseLangfuseKey(apiKey: string): LangfuseCredentials | null {
  const parts = apiKey.split(":");
  if (parts.length !== 2) {
    return null;
  }
  const [publicKey, secretKey] = parts;
  return publicKey && secretKey ? { publicKey, secretKey } : null;
}

/** @throws VALIDATION_ERROR (details on `api_key`) when the key cannot be this platform's. */
export function checkApiKey(platform: IntegrationPlatform, apiKey: string): void {
  const problem = !KEY_CHARACTERS.test(apiKey)
    ? "must be printable ASCII without spaces"
    : platform === "langfuse" && parseLangfuseKey(apiKey) === null
      ? "a Langfuse key is `public_key:secret_key` (e.g. pk-lf-…:sk-lf-…)"
      : null;
  if (problem) {
    throw validationError(`Invalid api_key for ${platform}`, [{ path: "api_key", message: problem }]);
  }
}

/** @throws VALIDATION_ERROR when `raw` is not a usable base URL. */
export function resolveBaseUrl(platform: IntegrationPlatform, raw: string | null | undefined): string {
  if (raw === null || raw === undefined) {
    return defaultBaseUrls[platform];
  }
  const url = normalizeBaseUrl(raw);
  if (url === null) {
    throw validationError("Invalid base_url", [
      { path: "base_url", message: "must be an http(s) URL without credentials, query or fragment" },
    ]);
  }
  return url;
}
