import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ZodError } from "zod";
import { AppError, type ErrorCode, type ErrorDetail, errorStatus } from "../../errors";
import type { Logger } from "../../logger";
import type { AppEnv } from "../env";

const codeByHttpStatus: Record<number, ErrorCode> = {
  400: "VALIDATION_ERROR",
  401: "UNAUTHORIZED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "ALREADY_EXISTS",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "RATE_LIMITED",
};

function envelope(
  c: Context<AppEnv>,
  status: number,
  code: ErrorCode,
  message: string,
  details?: ErrorDetail[],
): Response {
  const body = { error: { code, message, ...(details ? { details } : {}), request_id: c.get("requestId") ?? "" } };
  return c.json(body, status as ContentfulStatusCode);
}

/**
 * A UNIQUE (or primary key) violation, somewhere in the cause chain: libsql reports it with a code,
 * D1 only with SQLite's own message ("D1_ERROR: UNIQUE constraint failed: …").
 */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    const extended = (e as { extendedCode?: unknown }).extendedCode;
    if (
      code === "SQLITE_CONSTRAINT_UNIQUE" ||
      extended === "SQLITE_CONSTRAINT_UNIQUE" ||
      code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
      e.message.includes("UNIQUE constraint failed")
    ) {
      return true;
    }
  }
  return false;
}

/** The one place errors become HTTP responses; unknown errors never leak their message. */
export function errorHandler(logger: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    if (err instanceof AppError) {
      return envelope(c, errorStatus[err.code], err.code, err.message, err.details);
    }
    if (err instanceof HTTPException) {
      const code = codeByHttpStatus[err.status] ?? (err.status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR");
      const message = err.status === 413 ? "Request body too large" : err.message || "Bad request";
      return envelope(c, err.status, code, message);
    }
    if (err instanceof ZodError) {
      const details = err.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
      return envelope(c, 400, "VALIDATION_ERROR", "Validation failed", details);
    }
    if (isUniqueViolation(err)) {
      return envelope(c, 409, "ALREADY_EXISTS", "A record with the same unique key already exists");
    }
    logger.error("request.failed", {
      request_id: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      error: err instanceof Error ? err.message : String(err),
      stack: err instanceof Error ? err.stack : undefined,
    });
    return envelope(c, 500, "INTERNAL_ERROR", "Internal server error");
  };
}

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  envelope(c, 404, "NOT_FOUND", `No route for ${c.req.method} ${c.req.path}`);
