import { and, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../context";
import { traces } from "../db/schema";
import { labelTrace } from "../feedback";
import { type LangfuseLabel, langfuseScoreToLabel } from "../ingest";
import type { PhaseInput } from "./run-traces";
import { saveImportState } from "./state";

// D1 binds at most 100 parameters per statement; two go to the workspace and the source.
const LOOKUP_CHUNK = 90;

/** Our trace ids for Langfuse trace ids, in this workspace. */
async function traceIdsByExternalId(ctx: Ctx, externalIds: string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const unique = [...new Set(externalIds)];
  for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
    const rows = await ctx.db
      .select({ id: traces.id, externalId: traces.externalId })
      .from(traces)
      .where(
        and(
          eq(traces.workspaceId, ctx.workspaceId),
          eq(traces.source, "langfuse"),
          inArray(traces.externalId, unique.slice(i, i + LOOKUP_CHUNK)),
        ),
      );
    for (const row of rows) {
      ids.set(row.externalId, row.id);
    }
  }
  return ids;
}

/**
 * Human scores become labels through `labelTrace` (one label per trace: a later score of the same
 * trace wins; an identical one writes nothing). Scores of traces not imported are skipped.
 */
async function applyScores(ctx: Ctx, scores: readonly unknown[]): Promise<{ applied: number; skipped: number }> {
  const labels: LangfuseLabel[] = [];
  for (const score of scores) {
    const mapped = langfuseScoreToLabel(score);
    if (mapped.ok && mapped.label.is_human) {
      labels.push(mapped.label);
    }
  }
  const ids = await traceIdsByExternalId(
    ctx,
    labels.map((l) => l.trace_external_id),
  );
  let applied = 0;
  for (const label of labels) {
    const traceId = ids.get(label.trace_external_id);
    if (traceId !== undefined) {
      await labelTrace(ctx, { traceId, rating: label.rating, notes: label.notes });
      applied++;
    }
  }
  return { applied, skipped: scores.length - applied };
}

/**
 * Langfuse `ANNOTATION` scores of the window (by score time, so a trace annotated after its own
 * import is labelled by a later sync), page by page from the saved page, after the traces.
 */
export async function runScoresPhase(input: PhaseInput): Promise<void> {
  const { ctx, job, jobCtx, state, plan } = input;
  if (!plan.scores) {
    state.phase = "done";
    return;
  }
  const { client, name, window } = plan.scores;
  const query = { fromTimestamp: window.from, toTimestamp: window.to, source: "ANNOTATION" as const, name };
  for await (const page of client.scores(query, { page: state.scores_page })) {
    const { applied, skipped } = await applyScores(ctx, page.scores);
    state.counts.labels_imported += applied;
    if (page.done) {
      state.phase = "done";
    } else {
      state.scores_page = page.resume.page;
    }
    await saveImportState(ctx, job, state);
    await jobCtx.progress(state.phase === "done" ? 99 : 95, `Scores: ${applied} labels applied, ${skipped} skipped`);
    if (state.phase === "done") {
      return;
    }
    await jobCtx.checkCancelled();
  }
  state.phase = "done";
}
