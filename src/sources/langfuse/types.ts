import type { RawObject } from "../json";
import type { SourcePage } from "../paging";

export const LANGFUSE_SERVICE = "Langfuse";
export const LANGFUSE_DEFAULT_BASE_URL = "https://cloud.langfuse.com";

/** Every field group an import needs (`metrics` is derivable from times, so it is left out). */
export const LANGFUSE_V2_FIELDS = "core,basic,time,io,metadata,model,usage,prompt,trace_context";

/** Page-size limits the API documents: v2 observations ≤ 1000, the page APIs ≤ 100. */
export const LANGFUSE_V2_MAX_LIMIT = 1000;
export const LANGFUSE_PAGE_MAX_LIMIT = 100;

export interface LangfuseCredentials {
  publicKey: string;
  secretKey: string;
}

/** One import window: observations (or legacy traces) that started in `[fromStartTime, toStartTime)`. */
export interface LangfuseObservationsQuery {
  /** ISO-8601, inclusive. */
  fromStartTime: string;
  /** ISO-8601, exclusive. */
  toStartTime: string;
  userId?: string;
  /** Trace tags; a trace must carry all of them. */
  traceTags?: readonly string[];
  /** Page size (v2 ≤ 1000, legacy ≤ 100). */
  limit?: number;
}

/** Where a walk resumes: a v2 cursor (null = first page), or a legacy page number (1-based). */
export type LangfusePosition = { api: "v2"; cursor: string | null } | { api: "legacy"; page: number };

/** A legacy trace with all of its observations, both exactly as the API returned them. */
export interface LangfuseTraceWithObservations {
  trace: RawObject;
  observations: RawObject[];
}

export type LangfusePage =
  | (SourcePage<LangfusePosition> & { api: "v2"; observations: RawObject[] })
  | (SourcePage<LangfusePosition> & { api: "legacy"; traces: LangfuseTraceWithObservations[] });

export interface LangfuseScoresQuery {
  /** ISO-8601 bounds on the score timestamp: from inclusive, to exclusive. */
  fromTimestamp?: string;
  toTimestamp?: string;
  /** `ANNOTATION` is human ground truth. */
  source?: "ANNOTATION" | "API" | "EVAL";
  name?: string;
  dataType?: "NUMERIC" | "BOOLEAN" | "CATEGORICAL";
  userId?: string;
  traceTags?: readonly string[];
  /** ≤ 100. */
  limit?: number;
}

export type LangfuseScoresPage = SourcePage<{ page: number }> & { scores: RawObject[] };

export interface LangfuseConnection {
  projects: { id: string; name: string | null }[];
}
