import { type Clock, systemClock } from "../clock";
import { ADDRESS_REFUSED_CODE, AppError, ExternalServiceError } from "../errors";
import { parseRetryAfter } from "./retry-after";

/** The subset of `fetch` the clients use; injectable so each host (and tests) can pass its own. */
export type FetchFn = (input: string, init: RequestInit) => Promise<Response>;

/** Options every source client accepts. */
export interface SourceClientOptions {
  /** Service root, e.g. `https://cloud.langfuse.com`; a self-hosted path prefix is kept. */
  baseUrl?: string;
  fetch?: FetchFn;
  /** Per request, through `AbortSignal.timeout`. Default 30 s. */
  timeoutMs?: number;
  /** Safety stop for one paged walk; reaching it is a loud CONFIGURATION_ERROR, never a silent cap. */
  maxPages?: number;
  /** Largest response body accepted. Default 64 MiB. */
  maxResponseBytes?: number;
  /** Only used to turn an HTTP-date `Retry-After` into a delay. */
  clock?: Clock;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_PAGES = 100_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
const SNIPPET_CHARS = 300;

/** A parsed response body together with its exact text (for parsers that need what JSON.parse loses). */
export interface JsonResponse {
  value: unknown;
  text: string;
}

export type QueryValue = string | number | boolean | null | undefined | readonly string[];

/** Repeated keys for arrays (`tags=a&tags=b`), as the services expect; empty values are left out. */
export function toQueryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) {
      continue;
    }
    if (Array.isArray(value)) {
      for (const item of value) {
        params.append(key, item);
      }
    } else {
      params.append(key, String(value));
    }
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** Calling the global through a closure keeps `this` right on Workers ("Illegal invocation"). */
export const globalFetch: FetchFn = (input, init) => globalThis.fetch(input, init);

/**
 * One authenticated JSON endpoint family. Every failure becomes an `ExternalServiceError`:
 * non-2xx with `status` (and `retryAfterMs` on 429/503), network failure and timeout without
 * `status`, a malformed body with status 502 so it is classified as a transient server fault.
 * It never retries: the job system owns retries and backoff.
 */
export class SourceHttp {
  readonly maxPages: number;
  private readonly baseUrl: string;
  private readonly fetchFn: FetchFn;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly clock: Clock;

  constructor(
    readonly service: string,
    baseUrl: string,
    private readonly headers: Record<string, string>,
    /** Strings that must never appear in an error message (the credentials). */
    private readonly secrets: readonly string[],
    options: SourceClientOptions,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.fetchFn = options.fetch ?? globalFetch;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.clock = options.clock ?? systemClock;
  }

  get(path: string, query: Record<string, QueryValue> = {}): Promise<JsonResponse> {
    return this.send("GET", `${path}${toQueryString(query)}`, undefined);
  }

  post(path: string, body: unknown): Promise<JsonResponse> {
    return this.send("POST", path, JSON.stringify(body));
  }

  private async send(method: string, pathAndQuery: string, body: string | undefined): Promise<JsonResponse> {
    const path = pathAndQuery.split("?")[0] ?? pathAndQuery;
    const init: RequestInit = {
      method,
      headers: { accept: "application/json", ...this.headers, ...(body ? { "content-type": "application/json" } : {}) },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    };
    let response: Response;
    try {
      response = await this.fetchFn(`${this.baseUrl}${pathAndQuery}`, init);
    } catch (cause) {
      const timedOut = cause instanceof Error && (cause.name === "TimeoutError" || cause.name === "AbortError");
      const reason = timedOut ? `timed out after ${this.timeoutMs} ms` : `could not be reached (${describe(cause)})`;
      throw new ExternalServiceError(this.service, this.redact(`${this.service} ${method} ${path} ${reason}`), {
        cause,
      });
    }
    if (!response.ok) {
      throw await this.statusError(method, path, response);
    }
    return this.readJson(method, path, response);
  }

  private async statusError(method: string, path: string, response: Response): Promise<ExternalServiceError> {
    const retryAfterMs =
      response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers.get("retry-after"), this.clock.now())
        : undefined;
    const snippet = await response.text().then(
      (text) => text.replace(/\s+/g, " ").trim().slice(0, SNIPPET_CHARS),
      () => "",
    );
    const message = `${this.service} answered ${response.status} to ${method} ${path}${snippet ? `: ${snippet}` : ""}`;
    return new ExternalServiceError(this.service, this.redact(message), {
      status: response.status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  private async readJson(method: string, path: string, response: Response): Promise<JsonResponse> {
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > this.maxResponseBytes) {
      await response.body?.cancel();
      throw this.tooLarge(method, path);
    }
    const text = await response.text();
    if (text.length > this.maxResponseBytes) {
      throw this.tooLarge(method, path);
    }
    try {
      return { value: JSON.parse(text), text };
    } catch (cause) {
      throw new ExternalServiceError(this.service, `${this.service} ${method} ${path} answered malformed JSON`, {
        status: 502,
        cause,
      });
    }
  }

  private tooLarge(method: string, path: string): AppError {
    return new AppError(
      "PAYLOAD_TOO_LARGE",
      `${this.service} ${method} ${path} answered more than ${this.maxResponseBytes} bytes; use a smaller page size`,
    );
  }

  private redact(message: string): string {
    let out = message;
    for (const secret of this.secrets) {
      if (secret.length >= 4) {
        out = out.replaceAll(secret, "********");
      }
    }
    return out;
  }
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause as { code?: unknown; message?: unknown } | undefined;
    if (inner?.code === ADDRESS_REFUSED_CODE && typeof inner.message === "string") {
      return inner.message; // the host's own refusal: says which address and how to allow it
    }
    return typeof inner?.code === "string" ? `${cause.message}: ${inner.code}` : cause.message;
  }
  return String(cause);
}
