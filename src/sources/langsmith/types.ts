import type { RawObject } from "../json";
import type { SourcePage } from "../paging";

export const LANGSMITH_SERVICE = "LangSmith";
export const LANGSMITH_DEFAULT_BASE_URL = "https://api.smith.langchain.com";
export const LANGSMITH_MAX_PAGE_SIZE = 100;

/** Without `selects` v2 returns ids only; these are every field an import can use. */
export const LANGSMITH_V2_SELECTS = [
  "ID",
  "NAME",
  "RUN_TYPE",
  "STATUS",
  "START_TIME",
  "END_TIME",
  "LATENCY_SECONDS",
  "FIRST_TOKEN_TIME",
  "ERROR",
  "EXTRA",
  "METADATA",
  "EVENTS",
  "INPUTS",
  "OUTPUTS",
  "PARENT_RUN_IDS",
  "PROJECT_ID",
  "TRACE_ID",
  "THREAD_ID",
  "DOTTED_ORDER",
  "IS_ROOT",
  "REFERENCE_EXAMPLE_ID",
  "TOTAL_TOKENS",
  "PROMPT_TOKENS",
  "COMPLETION_TOKENS",
  "TOTAL_COST",
  "PROMPT_COST",
  "COMPLETION_COST",
  "PROMPT_TOKEN_DETAILS",
  "COMPLETION_TOKEN_DETAILS",
  "TAGS",
] as const;

/** The SDK's default v1 `select` (langsmith-sdk `_listRuns`). */
export const LANGSMITH_V1_SELECT = [
  "app_path",
  "completion_cost",
  "completion_tokens",
  "dotted_order",
  "end_time",
  "error",
  "events",
  "extra",
  "feedback_stats",
  "first_token_time",
  "id",
  "inputs",
  "name",
  "outputs",
  "parent_run_id",
  "parent_run_ids",
  "prompt_cost",
  "prompt_tokens",
  "reference_example_id",
  "run_type",
  "session_id",
  "start_time",
  "status",
  "tags",
  "total_cost",
  "total_tokens",
  "trace_id",
] as const;

export type LangSmithApi = "v2" | "v1";

/** Root runs of one project that started in `[minStartTime, maxStartTime)`. */
export interface LangSmithRunsQuery {
  projectId: string;
  /** ISO-8601, inclusive. */
  minStartTime: string;
  /** ISO-8601, exclusive. */
  maxStartTime: string;
  /** ≤ 100. */
  pageSize?: number;
}

/** Where a walk resumes: which API answered, and its cursor (null = first page). */
export interface LangSmithPosition {
  api: LangSmithApi;
  cursor: string | null;
}

/** A root run and every run of its trace (the root included), exactly as the API returned them. */
export interface LangSmithTrace {
  root: RawObject;
  runs: RawObject[];
}

export type LangSmithPage = SourcePage<LangSmithPosition> & { api: LangSmithApi; traces: LangSmithTrace[] };

/** A project given by id, or by name (resolved with `GET /api/v1/sessions?name=…`). */
export interface LangSmithProjectRef {
  projectId?: string;
  projectName?: string;
}

export interface LangSmithConnection {
  projectId: string | null;
}
