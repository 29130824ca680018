import { and, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import { integrations } from "../db/schema";
import { ExternalServiceError } from "../errors";
import type { SourceClientOptions } from "../sources";
import { getIntegrationOrThrow } from "./internal";
import { type ConnectionDetails, checkConnection, openSourceClient } from "./source-client";

/** A test must answer a person waiting on a button, so it gets less time than an import page. */
export const CONNECTION_TEST_TIMEOUT_MS = 10_000;
const MAX_ERROR_CHARS = 1000;

export interface ConnectionTestResult {
  success: boolean;
  error?: string;
  details?: ConnectionDetails;
}

/**
 * Makes a real authenticated call with the stored credentials and records the outcome on the
 * integration (`status` active/error, `error_message`). A refusal or an unreachable service is a
 * result (`success: false`), not an error.
 * @throws NOT_FOUND; CONFIGURATION_ERROR when the stored key cannot be decrypted.
 */
export async function testIntegrationConnection(
  ctx: Ctx,
  id: string,
  options: SourceClientOptions = {},
): Promise<ConnectionTestResult> {
  const integration = await getIntegrationOrThrow(ctx, id);
  const source = await openSourceClient(ctx.deps, integration, {
    timeoutMs: CONNECTION_TEST_TIMEOUT_MS,
    clock: ctx.deps.clock,
    ...options,
  });
  let result: ConnectionTestResult;
  try {
    result = { success: true, details: await checkConnection(source) };
  } catch (err) {
    if (!(err instanceof ExternalServiceError)) {
      throw err;
    }
    result = { success: false, error: err.message.slice(0, MAX_ERROR_CHARS) };
  }
  await ctx.db
    .update(integrations)
    .set({
      status: result.success ? "active" : "error",
      errorMessage: result.error ?? null,
      updatedAt: ctx.deps.clock.now().toISOString(),
    })
    .where(and(eq(integrations.id, id), eq(integrations.workspaceId, ctx.workspaceId)));
  return result;
}
