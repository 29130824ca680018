import { ExternalServiceError } from "../errors";
import { getIntegrationOrThrow, openSourceClient } from "../integrations";
import { defineJobHandler } from "../jobs/handlers/types";
import { ImportPayload, type ImportState } from "./payload";
import { planImport } from "./plan";
import { type PhaseInput, runTracePhase } from "./run-traces";
import { runScoresPhase } from "./scores";
import { loadImportState } from "./state";
import { markIntegrationAuthError, recordSync } from "./sync";

function resultOf(state: ImportState, payload: ImportPayload): Record<string, unknown> {
  return {
    ...state.counts,
    limit: payload.limit,
    limit_reached: state.limit_reached,
    sync_cursor: payload.moves_sync_cursor ? state.next_sync : null,
  };
}

const isAuthFailure = (err: unknown): err is ExternalServiceError =>
  err instanceof ExternalServiceError && (err.status === 401 || err.status === 403);

/**
 * The `import` job: pulls an integration's traces page by page into storage, resuming from the
 * checkpoint a previous attempt saved, then (Langfuse, when asked) its human scores as labels.
 * Source errors propagate for the job system to classify: 429 and 5xx retry (429 after its
 * Retry-After), a refused key fails the job and marks the integration `error`.
 */
export const importHandler = defineJobHandler({
  payload: ImportPayload,
  async run(job, jobCtx) {
    const { ctx } = jobCtx;
    const integration = await getIntegrationOrThrow(ctx, job.payload.integration_id);
    const state = await loadImportState(ctx, job.id);
    try {
      const source = await openSourceClient(ctx.deps, integration, { clock: ctx.deps.clock });
      const input: PhaseInput = { ctx, job, jobCtx, state, plan: await planImport(source, job.payload) };
      if (state.phase === "traces") {
        await runTracePhase(input);
      }
      if (state.phase === "scores") {
        await runScoresPhase(input);
      }
    } catch (err) {
      if (isAuthFailure(err)) {
        await markIntegrationAuthError(ctx, integration.id, err);
      }
      throw err;
    }
    await recordSync(ctx, job.payload, state.next_sync);
    await jobCtx.log("info", "Import finished", resultOf(state, job.payload));
    return resultOf(state, job.payload);
  },
});
