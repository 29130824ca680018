/** Every error code the API can answer with, and the HTTP status it maps to. */
export const errorStatus = {
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  INVALID_STATE: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INSUFFICIENT_EXAMPLES: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  EXTERNAL_API_ERROR: 502,
  CONFIGURATION_ERROR: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type ErrorStatus = (typeof errorStatus)[ErrorCode];

export type ErrorDetail = { path: string; message: string } | Record<string, unknown>;

/** An expected failure: it carries its own code, and its message is safe to show the caller. */
export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetail[], options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }

  get status(): ErrorStatus {
    return errorStatus[this.code];
  }
}

export function notFound(entity: string, id: string): AppError {
  return new AppError("NOT_FOUND", `${entity} ${id} not found`);
}

export function alreadyExists(entity: string, what: string): AppError {
  return new AppError("ALREADY_EXISTS", `${entity} ${what} already exists`);
}

export function invalidState(message: string): AppError {
  return new AppError("INVALID_STATE", message);
}

export function validationError(message: string, details?: ErrorDetail[]): AppError {
  return new AppError("VALIDATION_ERROR", message, details);
}

export function forbidden(message: string): AppError {
  return new AppError("FORBIDDEN", message);
}

export function unauthorized(message: string): AppError {
  return new AppError("UNAUTHORIZED", message);
}

/**
 * A call to an outside service failed. `status` is the remote HTTP status (absent for network
 * failures); `retryAfterMs` comes from a `Retry-After` header. Jobs classify on these fields.
 */
export class ExternalServiceError extends Error {
  override readonly name = "ExternalServiceError";
  readonly service: string;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(
    service: string,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.service = service;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The `code` of the error a connection gets when the host refuses its destination address (the Node
 * host's outbound guard: a name that resolves to a private address). Jobs treat it as permanent.
 */
export const ADDRESS_REFUSED_CODE = "ERR_ADDRESS_REFUSED";
