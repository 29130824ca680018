import { setImmediate as nextTurn } from "node:timers/promises";
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock";
import type { Database } from "../../src/db/client";
import { jobs, performanceAlerts, performanceSnapshots } from "../../src/db/schema";
import { MonitorScheduler, scheduleMonitorJobs } from "../../src/monitoring";
import { createAgent, createFeedback, createTrace } from "../helpers/agent-factories";
import { createRecordingQueue, makeTestApp } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";
import { createEval, createExecution } from "../helpers/matrix-factories";
import { makeJobsApp } from "../jobs/support";

const monitorJobs = (db: Database) => db.select().from(jobs).where(eq(jobs.type, "monitor"));

/** A workspace whose active eval failed 10 of 25 positive labels (accuracy 0.6) on 2026-03-10. */
async function workspaceWithFailingEval(db: Database) {
  const ws = await createWorkspace(db);
  const agent = await createAgent(db, ws);
  const ev = await createEval(db, ws, agent, { createdAt: "2026-01-01T00:00:00.000Z" });
  for (let i = 0; i < 25; i++) {
    const trace = await createTrace(db, ws);
    await createFeedback(db, ws, trace, { agentId: agent.id, rating: "positive" });
    await createExecution(db, ws, ev, trace, i >= 10, { executedAt: "2026-03-10T09:00:00.000Z" });
  }
  return { ws, ev };
}

/**
 * A clock whose `sleep` waits until the test calls `release()` (or the sleeper aborts), reading time
 * from `base`. Lets a test step a timer loop one wake-up at a time.
 */
function steppedClock(base: Clock) {
  const requested: number[] = [];
  let wake: (() => void) | undefined;
  let onSleep: (() => void) | undefined;
  const clock: Clock = {
    now: () => base.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        requested.push(ms);
        wake = resolve;
        signal?.addEventListener("abort", () => resolve(), { once: true });
        onSleep?.();
      }),
  };
  /** Resolves with the requested duration once the loop is asleep again (after `count` sleeps in all). */
  const asleep = (count: number) =>
    new Promise<number>((resolve) => {
      const check = () => {
        if (requested.length >= count) {
          resolve(requested[count - 1] ?? 0);
        }
      };
      onSleep = check;
      check();
    });
  return { clock, asleep, release: () => wake?.() };
}

describe("scheduleMonitorJobs", () => {
  it("creates one job per workspace with an active or auto-execute eval, once per slot", async () => {
    const queue = createRecordingQueue();
    const t = await makeTestApp({ jobQueue: queue });
    t.clock.set("2026-03-10T10:20:00.000Z");
    const active = await createWorkspace(t.db);
    await createEval(t.db, active, await createAgent(t.db, active));
    const auto = await createWorkspace(t.db);
    await createEval(t.db, auto, await createAgent(t.db, auto), { status: "draft", autoExecuteEnabled: true });
    const idle = await createWorkspace(t.db);
    await createEval(t.db, idle, await createAgent(t.db, idle), { status: "draft" });

    const created = await scheduleMonitorJobs(t.deps);
    expect(created).toHaveLength(2);
    expect(queue.sent.map((m) => m.jobId).sort()).toEqual([...created].sort());
    const rows = await monitorJobs(t.db);
    expect(rows.map((j) => j.workspaceId).sort()).toEqual([active.id, auto.id].sort());
    expect(rows[0]).toMatchObject({
      status: "queued",
      triggerEvent: "schedule:2026-03-10T10:00:00.000Z",
      metadata: { window_days: 7 },
    });

    t.clock.set("2026-03-10T10:59:59.999Z");
    expect(await scheduleMonitorJobs(t.deps)).toEqual([]);
    // Two hosts (or overlapping crons) in a new slot: still one job per workspace.
    t.clock.set("2026-03-10T11:00:00.000Z");
    const racing = await Promise.all([scheduleMonitorJobs(t.deps), scheduleMonitorJobs(t.deps)]);
    expect(racing.flat()).toHaveLength(2);
    expect(await monitorJobs(t.db)).toHaveLength(4);
  });
});

describe("the Node host's monitor timer", () => {
  it("schedules at start and at each slot boundary, and the runner runs the monitor job", async () => {
    const app = await makeJobsApp({ pollIntervalMs: 10 });
    app.clock.set("2026-03-10T10:20:00.000Z");
    const { ws, ev } = await workspaceWithFailingEval(app.db);
    const stepped = steppedClock(app.deps.clock);
    const scheduler = new MonitorScheduler({ ...app.deps, clock: stepped.clock });
    scheduler.start();
    // Asleep until the next hour: at most 40 minutes (the runner's idle polls move the fake clock too).
    const untilNext = await stepped.asleep(1);
    expect(untilNext).toBeGreaterThan(30 * 60_000);
    expect(untilNext).toBeLessThanOrEqual(40 * 60_000);

    let [job] = await monitorJobs(app.db);
    for (let i = 0; i < 100_000 && job?.status !== "completed"; i++) {
      await nextTurn();
      [job] = await monitorJobs(app.db);
    }
    expect(job).toMatchObject({ workspaceId: ws.id, status: "completed", result: { evals_checked: 1 } });
    const alerts = await app.db
      .select()
      .from(performanceAlerts)
      .where(and(eq(performanceAlerts.evalId, ev.id), isNull(performanceAlerts.resolvedAt)));
    // accuracy 15/25 = 0.6 < 0.8; contradiction rate 10/25 = 0.4 > 0.15
    expect(alerts.map((a) => [a.alertType, a.currentValue]).sort()).toEqual([
      ["accuracy_drop", 0.6],
      ["contradiction_spike", 0.4],
    ]);
    const snapshots = await app.db.select().from(performanceSnapshots).where(eq(performanceSnapshots.evalId, ev.id));
    expect(snapshots.map((s) => s.snapshotDate)).toContain("2026-03-10");

    // Next slot: the timer wakes and schedules again; a second host's timer in the same slot adds nothing.
    app.clock.set("2026-03-10T11:00:01.000Z");
    stepped.release();
    await stepped.asleep(2);
    const second = new MonitorScheduler({ ...app.deps, clock: stepped.clock });
    second.start();
    await stepped.asleep(3);
    expect((await monitorJobs(app.db)).map((j) => j.triggerEvent).sort()).toEqual([
      "schedule:2026-03-10T10:00:00.000Z",
      "schedule:2026-03-10T11:00:00.000Z",
    ]);
    await Promise.all([scheduler.stop(), second.stop()]);
  });
});
