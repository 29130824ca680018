import { and, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import { jobs } from "../db/schema";
import { JobCancelled } from "../jobs/errors";
import type { RunningJob } from "../jobs/handlers/types";
import { type ImportState, ImportState as ImportStateSchema, initialImportState } from "./payload";

/** The running result shape: live counts for anyone watching the job, plus the checkpoint. */
function toStoredResult(state: ImportState): Record<string, unknown> {
  return { ...state.counts, limit_reached: state.limit_reached, checkpoint: state };
}

/**
 * The state a previous attempt saved (crash, lease lost, transient error), or a fresh one.
 * A checkpoint that no longer parses starts over: storage upserts, so that costs time, not data.
 */
export async function loadImportState(ctx: Ctx, jobId: string): Promise<ImportState> {
  const [row] = await ctx.db
    .select({ result: jobs.result })
    .from(jobs)
    .where(and(eq(jobs.id, jobId), eq(jobs.workspaceId, ctx.workspaceId)));
  const parsed = ImportStateSchema.safeParse(row?.result?.checkpoint);
  return parsed.success ? parsed.data : initialImportState();
}

/**
 * Saves the checkpoint in the job's own row with one UPDATE, guarded by this attempt: a run whose
 * job was cancelled or re-claimed by another runner (a new attempt) writes nothing and stops.
 * @throws JobCancelled when the job is no longer this attempt's.
 */
export async function saveImportState(ctx: Ctx, job: RunningJob<unknown>, state: ImportState): Promise<void> {
  const rows = await ctx.db
    .update(jobs)
    .set({ result: toStoredResult(state) })
    .where(
      and(
        eq(jobs.id, job.id),
        eq(jobs.workspaceId, ctx.workspaceId),
        eq(jobs.status, "running"),
        eq(jobs.attempts, job.attempt),
      ),
    )
    .returning({ id: jobs.id });
  if (rows.length === 0) {
    throw new JobCancelled(job.id);
  }
}
