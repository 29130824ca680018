// Trace sources a workspace imports from: CRUD with encrypted keys, connection tests, and the
// one way to open a platform client for an integration.
export type { Integration } from "../db/schema";
export { checkConfig } from "./config";
export { API_KEY_MASK, defaultBaseUrls, normalizeBaseUrl, parseLangfuseKey } from "./credentials";
export {
  type CreateIntegrationInput,
  createIntegration,
  deleteIntegration,
  getIntegration,
  type IntegrationPage,
  type IntegrationPageInput,
  listIntegrations,
  type UpdateIntegrationInput,
  updateIntegration,
} from "./integrations";
export { getIntegrationOrThrow } from "./internal";
export { type ConnectionDetails, checkConnection, openSourceClient, type SourceClient } from "./source-client";
export { CONNECTION_TEST_TIMEOUT_MS, type ConnectionTestResult, testIntegrationConnection } from "./test-connection";
