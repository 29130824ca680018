import { z } from "zod";
import { defineJobHandler } from "../jobs/handlers/types";
import { DEFAULT_WINDOW_DAYS, runMonitor } from "./monitor";

/** The `monitor` job's payload: which evals (default: the workspace's active or auto-execute ones). */
export const MonitorPayload = z.object({
  // D1 binds at most 100 parameters; the ids go into one IN list.
  eval_ids: z.array(z.string().min(1).max(100)).min(1).max(90).optional(),
  window_days: z.number().int().min(1).max(365).default(DEFAULT_WINDOW_DAYS),
});
export type MonitorPayload = z.output<typeof MonitorPayload>;

/**
 * Metrics, daily snapshots, alerts and cached eval metrics for one workspace's evals. Created per
 * workspace per schedule slot by `scheduleMonitorJobs` (both hosts); safe to run twice.
 */
export const monitorHandler = defineJobHandler({
  payload: MonitorPayload,
  async run(job, { ctx, progress, checkCancelled }) {
    const result = await runMonitor(ctx, {
      evalIds: job.payload.eval_ids,
      windowDays: job.payload.window_days,
      beforeEval: checkCancelled,
      afterEval: (done, total) => progress((done * 100) / total, `Eval ${done}/${total} monitored`),
    });
    return {
      evals_checked: result.evalsChecked,
      snapshots_written: result.snapshotsWritten,
      alerts_raised: result.alertsRaised,
      alerts_resolved: result.alertsResolved,
    };
  },
});
