import { and, eq, notExists, or, sql } from "drizzle-orm";
import type { Deps } from "../context";
import { newId } from "../db/ids";
import { evals, jobs } from "../db/schema";
import { DEFAULT_WINDOW_DAYS } from "./monitor";

const WORKSPACES_PER_BATCH = 50;

/** The schedule slot containing `at`: its start, and the `trigger_event` that names its jobs. */
export function monitorSlot(at: Date, intervalMs: number): { startMs: number; triggerEvent: string } {
  const startMs = Math.floor(at.getTime() / intervalMs) * intervalMs;
  return { startMs, triggerEvent: `schedule:${new Date(startMs).toISOString()}` };
}

/**
 * Creates this slot's `monitor` job for every workspace with an active or auto-execute eval, and
 * enqueues the new ones. A slot's job is created once however many hosts, timers or overlapping crons
 * call this: the insert skips workspaces that have it, and the partial unique index on
 * (trigger_event, workspace_id) for monitor jobs turns a race into a no-op. Returns the new job ids.
 */
export async function scheduleMonitorJobs(deps: Deps): Promise<string[]> {
  const now = deps.clock.now();
  const { triggerEvent } = monitorSlot(now, deps.config.monitoring.intervalMs);
  const alreadyScheduled = deps.db
    .select({ one: sql`1` })
    .from(jobs)
    .where(and(eq(jobs.type, "monitor"), eq(jobs.triggerEvent, triggerEvent), eq(jobs.workspaceId, evals.workspaceId)));
  const due = await deps.db
    .selectDistinct({ workspaceId: evals.workspaceId })
    .from(evals)
    .where(and(or(eq(evals.status, "active"), eq(evals.autoExecuteEnabled, true)), notExists(alreadyScheduled)));
  const rows = due.map(({ workspaceId }) => ({
    id: newId("job", now.getTime()),
    workspaceId,
    type: "monitor" as const,
    metadata: { window_days: DEFAULT_WINDOW_DAYS },
    triggerEvent,
    createdAt: now.toISOString(),
  }));
  const created: string[] = [];
  // One INSERT per job (Drizzle binds every defaulted column too, so multi-row inserts would need a
  // column count to stay under D1's 100 parameters), sent as batches: one round trip per 50 workspaces.
  for (let i = 0; i < rows.length; i += WORKSPACES_PER_BATCH) {
    const inserts = rows
      .slice(i, i + WORKSPACES_PER_BATCH)
      .map((row) => deps.db.insert(jobs).values(row).onConflictDoNothing().returning({ id: jobs.id }));
    const [first, ...rest] = inserts;
    if (first) {
      const results = await deps.db.batch([first, ...rest]);
      created.push(...results.flat().map((j) => j.id));
    }
  }
  for (const jobId of created) {
    try {
      await deps.jobQueue.enqueue(jobId);
    } catch (err) {
      // The table is the truth: the Node poller finds the job anyway, the Workers sweeper re-sends it.
      deps.logger.error("job.enqueue_failed", {
        job_id: jobId,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }
  if (created.length > 0) {
    deps.logger.info("monitor.scheduled", { trigger_event: triggerEvent, jobs: created.length });
  }
  return created;
}

/**
 * The Node host's schedule: schedules the current slot at start, then wakes at every slot boundary.
 * (Workers run {@link scheduleMonitorJobs} from their cron instead.)
 */
export class MonitorScheduler {
  private readonly stopSignal = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: Deps) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const intervalMs = this.deps.config.monitoring.intervalMs;
    while (!this.stopSignal.signal.aborted) {
      await scheduleMonitorJobs(this.deps).catch((err: unknown) => {
        this.deps.logger.error("monitor.schedule_failed", { error: err instanceof Error ? err.message : String(err) });
      });
      const nowMs = this.deps.clock.now().getTime();
      const untilNextSlot = monitorSlot(new Date(nowMs), intervalMs).startMs + intervalMs - nowMs;
      await this.deps.clock.sleep(untilNextSlot, this.stopSignal.signal);
    }
  }
}
