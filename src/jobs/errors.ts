import { z } from "zod";
import type { JobErrorCategory } from "../db/schema/enums";
import { ADDRESS_REFUSED_CODE, AppError, type ErrorCode, ExternalServiceError } from "../errors";

/**
 * Thrown by `jobCtx.checkCancelled()` (and by progress writes) once the job is no longer this
 * runner's to finish: it was cancelled, or its lease passed to another runner.
 */
export class JobCancelled extends Error {
  override readonly name = "JobCancelled";
  constructor(jobId: string) {
    super(`Job ${jobId} was cancelled or is no longer held by this runner`);
  }
}

export interface ClassifiedError {
  category: JobErrorCategory;
  retryable: boolean;
  /** From a `Retry-After` header, when the remote service sent one. */
  retryAfterMs: number | undefined;
}

const permanentByAppCode: Partial<Record<ErrorCode, JobErrorCategory>> = {
  UNAUTHORIZED: "permanent_auth",
  FORBIDDEN: "permanent_auth",
  NOT_FOUND: "permanent_not_found",
  RATE_LIMITED: "transient_rate_limit",
  EXTERNAL_API_ERROR: "transient_server",
  INTERNAL_ERROR: "unknown",
};

// Codes Node (errno / undici) and libsql put on network failures; the message is never consulted.
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
const DB_LOCK_CODES = new Set(["SQLITE_BUSY", "SQLITE_LOCKED"]);

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/** The error and its causes (drizzle wraps driver errors in `DrizzleQueryError.cause`). */
function causeChain(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && e !== null && chain.length < 5; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
  }
  return chain;
}

function categoryByHttpStatus(status: number | undefined): JobErrorCategory {
  if (status === undefined || status === 408) {
    return "transient_network";
  }
  if (status === 429) {
    return "transient_rate_limit";
  }
  if (status >= 500) {
    return "transient_server";
  }
  if (status === 401 || status === 403) {
    return "permanent_auth";
  }
  if (status === 404) {
    return "permanent_not_found";
  }
  return status === 400 || status === 422 ? "permanent_validation" : "unknown";
}

function categorize(err: unknown): JobErrorCategory {
  if (err instanceof JobCancelled) {
    return "cancelled";
  }
  // The host refused the destination (a private address): another attempt would be refused too.
  if (causeChain(err).some((e) => codeOf(e) === ADDRESS_REFUSED_CODE)) {
    return "permanent_auth";
  }
  if (err instanceof ExternalServiceError) {
    return categoryByHttpStatus(err.status);
  }
  if (err instanceof AppError) {
    return permanentByAppCode[err.code] ?? "permanent_validation";
  }
  if (err instanceof z.core.$ZodError) {
    return "permanent_validation";
  }
  for (const e of causeChain(err)) {
    const code = codeOf(e);
    if (code !== undefined && DB_LOCK_CODES.has(code)) {
      return "transient_db_lock";
    }
    if (code !== undefined && (NETWORK_CODES.has(code) || code.startsWith("UND_ERR_"))) {
      return "transient_network";
    }
    // fetch() rejects with a TypeError on network failure; Node adds a coded cause (handled above).
    if (e instanceof DOMException && (e.name === "TimeoutError" || e.name === "NetworkError")) {
      return "transient_network";
    }
  }
  return "unknown";
}

/** Sort a job failure into a category by the error's type and code, never by its message text. */
export function classifyError(err: unknown): ClassifiedError {
  const category = categorize(err);
  return {
    category,
    retryable: isRetryable(category),
    retryAfterMs: err instanceof ExternalServiceError ? err.retryAfterMs : undefined,
  };
}

/** Transient failures and unknown ones are worth another attempt; permanent ones and cancellation are not. */
export function isRetryable(category: JobErrorCategory): boolean {
  return category.startsWith("transient_") || category === "unknown";
}

/**
 * A message safe to store on the job and show over the API: our own errors' messages; for anything
 * else only its type and code (a driver error's message can carry SQL and parameters). The runner
 * logs the full error.
 */
export function describeError(err: unknown): string {
  if (err instanceof AppError || err instanceof ExternalServiceError || err instanceof JobCancelled) {
    return err.message;
  }
  if (err instanceof z.core.$ZodError) {
    const issues = err.issues.map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`);
    return `Invalid job payload: ${issues.join("; ")}`.slice(0, 1000);
  }
  const code = causeChain(err)
    .map(codeOf)
    .find((c) => c !== undefined);
  const name = err instanceof Error ? err.name : typeof err;
  return `Unexpected ${name}${code ? ` (${code})` : ""}`;
}
