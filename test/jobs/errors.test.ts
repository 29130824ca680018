import { createServer } from "node:net";
import { LibsqlError } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, ExternalServiceError } from "../../src/errors";
import { classifyError, describeError, isRetryable, JobCancelled } from "../../src/jobs/errors";
import { createTestDb } from "../helpers/db";

const category = (err: unknown) => classifyError(err).category;

/** A port nothing listens on: bound, then closed, so fetch() fails with a real network error. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") {
    throw new Error("no port");
  }
  return address.port;
}

describe("classifyError", () => {
  it("sorts external service errors by HTTP status", () => {
    const byStatus = (status?: number) => category(new ExternalServiceError("llm", "x", { status }));
    expect(byStatus(429)).toBe("transient_rate_limit");
    expect(byStatus(500)).toBe("transient_server");
    expect(byStatus(503)).toBe("transient_server");
    expect(byStatus(401)).toBe("permanent_auth");
    expect(byStatus(403)).toBe("permanent_auth");
    expect(byStatus(404)).toBe("permanent_not_found");
    expect(byStatus(400)).toBe("permanent_validation");
    expect(byStatus(422)).toBe("permanent_validation");
    expect(byStatus(undefined)).toBe("transient_network");
    expect(byStatus(418)).toBe("unknown");
  });

  it("carries Retry-After from a rate-limited service", () => {
    const err = new ExternalServiceError("llm", "slow down", { status: 429, retryAfterMs: 7_000 });
    expect(classifyError(err)).toEqual({ category: "transient_rate_limit", retryable: true, retryAfterMs: 7_000 });
  });

  it("treats a real fetch network failure as transient", async () => {
    const port = await closedPort();
    const err = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(classifyError(err)).toMatchObject({ category: "transient_network", retryable: true });
  });

  it("treats SQLITE_BUSY and SQLITE_LOCKED as a transient lock, also when drizzle wraps them", async () => {
    expect(category(new LibsqlError("database is locked", "SQLITE_BUSY"))).toBe("transient_db_lock");
    expect(category(new LibsqlError("table is locked", "SQLITE_LOCKED"))).toBe("transient_db_lock");
    const { client } = await createTestDb();
    const wrapped = new Error("Failed query", { cause: new LibsqlError("busy", "SQLITE_BUSY") });
    expect(category(wrapped)).toBe("transient_db_lock");
    const constraint = await client.execute("insert into jobs (id) values (null)").catch((e: unknown) => e);
    expect(category(constraint)).toBe("unknown");
  });

  it("treats our own errors as permanent by code", () => {
    expect(category(new AppError("VALIDATION_ERROR", "x"))).toBe("permanent_validation");
    expect(category(new AppError("NOT_FOUND", "x"))).toBe("permanent_not_found");
    expect(category(new AppError("FORBIDDEN", "x"))).toBe("permanent_auth");
    expect(category(new AppError("CONFIGURATION_ERROR", "x"))).toBe("permanent_validation");
    expect(category(new AppError("RATE_LIMITED", "x"))).toBe("transient_rate_limit");
  });

  it("treats a payload that fails its schema as permanent, and cancellation as cancelled", () => {
    const zodError = z.object({ units: z.number() }).safeParse({ units: "x" }).error;
    expect(classifyError(zodError)).toMatchObject({ category: "permanent_validation", retryable: false });
    expect(classifyError(new JobCancelled("job_1"))).toMatchObject({ category: "cancelled", retryable: false });
  });

  it("never reads message text: an unknown error stays unknown and retryable", () => {
    expect(classifyError(new Error("ECONNRESET 429 rate limit database is locked"))).toEqual({
      category: "unknown",
      retryable: true,
      retryAfterMs: undefined,
    });
    expect(classifyError("a string")).toMatchObject({ category: "unknown" });
  });

  it("calls only transient and unknown categories retryable", () => {
    expect(isRetryable("transient_db_lock")).toBe(true);
    expect(isRetryable("unknown")).toBe(true);
    expect(isRetryable("permanent_security")).toBe(false);
    expect(isRetryable("cancelled")).toBe(false);
  });
});

describe("describeError", () => {
  it("keeps our own messages and hides the text of anything else", () => {
    expect(describeError(new AppError("NOT_FOUND", "trace t1 not found"))).toBe("trace t1 not found");
    expect(describeError(new Error("SELECT secret FROM keys WHERE id = 'abc'"))).toBe("Unexpected Error");
    expect(describeError(new LibsqlError("disk I/O error", "SQLITE_IOERR"))).toBe(
      "Unexpected LibsqlError (SQLITE_IOERR)",
    );
    const zodError = z.object({ units: z.number().max(3) }).safeParse({ units: 9 }).error;
    expect(describeError(zodError)).toMatch(/^Invalid job payload: units: /);
  });
});
