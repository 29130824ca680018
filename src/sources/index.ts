// HTTP clients for the pull-import sources. They return the services' objects untouched;
// src/ingest adapters turn them into canonical traces.
export { type FetchFn, globalFetch, type SourceClientOptions } from "./http";
export type { RawObject } from "./json";
export { LangfuseClient } from "./langfuse/client";
export * from "./langfuse/types";
export { LangSmithClient, toUtcIso } from "./langsmith/client";
export * from "./langsmith/types";
export {
  OPENAI_DEFAULT_BASE_URL,
  OPENAI_SERVICE,
  OpenAIClient,
  type OpenAICompletionsQuery,
  type OpenAIPage,
  type OpenAIPosition,
  type OpenAIStoredCompletion,
  type RawJson,
} from "./openai/client";
export type { SourcePage } from "./paging";
export { parseRetryAfter } from "./retry-after";
