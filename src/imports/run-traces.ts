import type { Ctx } from "../context";
import type { JobContext, RunningJob } from "../jobs/handlers/types";
import { storeTraces } from "../traces";
import type { CanonicalTrace } from "../traces/model";
import type { ImportPayload, ImportState } from "./payload";
import type { ImportPlan, WalkEnd } from "./plan";
import { reportPage } from "./progress";
import { saveImportState } from "./state";
import type { MappedPage } from "./walk";

export interface PhaseInput {
  ctx: Ctx;
  job: RunningJob<ImportPayload>;
  jobCtx: JobContext;
  state: ImportState;
  plan: ImportPlan;
}

/** The page's traces within what the limit still allows, in page (start-time) order. */
function applyLimit(traces: CanonicalTrace[], limit: number | null, state: ImportState) {
  if (limit === null) {
    return { kept: traces, dropped: [] };
  }
  const remaining = Math.max(0, limit - state.counts.imported - state.counts.updated);
  return { kept: traces.slice(0, remaining), dropped: traces.slice(remaining) };
}

async function storePage(input: PhaseInput, kept: CanonicalTrace[], page: MappedPage) {
  const { ctx, job, state } = input;
  const result =
    kept.length > 0
      ? await storeTraces(ctx, { traces: kept, integrationId: job.payload.integration_id })
      : { stored: [], rejected: [] };
  const created = result.stored.filter((s) => s.created).length;
  state.counts.imported += created;
  state.counts.updated += result.stored.length - created;
  state.counts.rejected += page.rejected.length + result.rejected.length;
  state.counts.pages += 1;
  const reasons = [
    ...page.rejected.map((r) => `${r.path}: ${r.reason}`),
    ...result.rejected.map((r) => `${r.external_id}: ${r.reason}`),
  ];
  return { created, updated: result.stored.length - created, reasons };
}

function endTracePhase(input: PhaseInput, end: WalkEnd, limitReached: boolean): void {
  const { state, plan } = input;
  state.phase = plan.scores ? "scores" : "done";
  state.position = null;
  state.limit_reached = limitReached;
  state.next_sync = plan.nextSync(end);
}

/**
 * Walks pages from the saved position: maps, stores (an upsert, so a page stored again after a
 * crash cannot duplicate), then saves the checkpoint, then reports. Cancellation is checked
 * between pages. Ends at the source's last page or at the caller's limit.
 */
export async function runTracePhase(input: PhaseInput): Promise<void> {
  const { job, jobCtx, state } = input;
  const limit = job.payload.limit;
  for await (const page of input.plan.walk(state.position)) {
    const { kept, dropped } = applyLimit(page.traces, limit, state);
    const stored = await storePage(input, kept, page);
    state.first_at ??= page.traces.map((t) => t.started_at).find((at) => at !== null) ?? null;
    const limitReached = limit !== null && state.counts.imported + state.counts.updated >= limit;
    if (page.done || limitReached) {
      endTracePhase(input, { lastPage: page, kept, dropped }, limitReached && !(page.done && dropped.length === 0));
    } else {
      state.position = page.position;
    }
    await saveImportState(input.ctx, job, state);
    await reportPage(jobCtx, { state, plan: input.plan, page, outcome: stored, limit });
    if (state.phase !== "traces") {
      return;
    }
    await jobCtx.checkCancelled();
  }
  // A walk always yields a last page; this only guards a source that ends without one.
  endTracePhase(input, { lastPage: null, kept: [], dropped: [] }, false);
  await saveImportState(input.ctx, job, state);
}
