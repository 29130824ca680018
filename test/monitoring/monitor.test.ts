import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Ctx } from "../../src/context";
import { evals, performanceAlerts, performanceSnapshots } from "../../src/db/schema";
import type { FeedbackRating } from "../../src/db/schema/enums";
import { getEvalMetrics, runMonitor } from "../../src/monitoring";
import { createAgent, createFeedback, createTrace } from "../helpers/agent-factories";
import { makeTestApp } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";
import { createEval, createExecution, type Outcome } from "../helpers/matrix-factories";

const t = await makeTestApp();
const NOW = "2026-03-10T12:00:00.000Z";

async function setup(thresholds: Record<string, number> | null = { min_executions: 10 }) {
  t.clock.set(NOW);
  const ws = await createWorkspace(t.db);
  const agent = await createAgent(t.db, ws);
  const ev = await createEval(t.db, ws, agent, {
    monitoringThresholds: thresholds,
    createdAt: "2026-01-01T00:00:00.000Z",
  });
  const ctx: Ctx = {
    db: t.db,
    workspaceId: ws.id,
    actor: { kind: "local", role: "owner", apiKeyId: undefined },
    requestId: "req-test",
    deps: t.deps,
  };
  /** `count` executions at `at` on fresh traces, labeled `rating` for the agent (null: unlabeled). */
  const executions = async (count: number, rating: FeedbackRating | null, outcome: Outcome, at: string) => {
    for (let i = 0; i < count; i++) {
      const trace = await createTrace(t.db, ws);
      if (rating) {
        await createFeedback(t.db, ws, trace, { agentId: agent.id, rating });
      }
      await createExecution(t.db, ws, ev, trace, outcome, { executedAt: at });
    }
  };
  return { ws, agent, ev, ctx, executions };
}

// Twelve executions in the 7-day window, by hand: 2026-03-09 TP×4, TN, neutral pass; 2026-03-10 FN×2,
// FP, unlabeled fail×2, error. Plus one FN on 2026-03-01, outside the window.
async function withTwelve(thresholds?: Record<string, number> | null) {
  const s = await setup(thresholds);
  await s.executions(4, "positive", true, "2026-03-09T10:00:00.000Z");
  await s.executions(1, "negative", false, "2026-03-09T10:00:00.000Z");
  await s.executions(1, "neutral", true, "2026-03-09T11:00:00.000Z");
  await s.executions(2, "positive", false, "2026-03-10T08:00:00.000Z");
  await s.executions(1, "negative", true, "2026-03-10T08:00:00.000Z");
  await s.executions(2, null, false, "2026-03-10T09:00:00.000Z");
  await s.executions(1, "positive", "error", "2026-03-10T09:00:00.000Z");
  await s.executions(1, "positive", false, "2026-03-01T09:00:00.000Z");
  return s;
}

function openAlerts(evalId: string) {
  return t.db
    .select()
    .from(performanceAlerts)
    .where(and(eq(performanceAlerts.evalId, evalId), isNull(performanceAlerts.resolvedAt)));
}

describe("window metrics", () => {
  it("counts the window's executions against the agent's labels", async () => {
    const { ctx, ev } = await withTwelve();
    const { metrics } = await getEvalMetrics(ctx, ev.id, 7);
    // labeled = TP4 + TN + FN2 + FP = 8; contradictions = FN2 + FP = 3
    expect(metrics).toMatchObject({
      executionCount: 12,
      passCount: 6,
      failCount: 5,
      errorCount: 1,
      labeledCount: 8,
      contradictionCount: 3,
      accuracy: 5 / 8,
      contradictionRate: 3 / 12,
      errorRate: 1 / 12,
    });
    // One day back from 12:00 on the 10th: only the 10th's six executions.
    const lastDay = (await getEvalMetrics(ctx, ev.id, 1)).metrics;
    expect(lastDay).toMatchObject({ executionCount: 6, labeledCount: 3, accuracy: 0, contradictionRate: 0.5 });
  });
});

describe("runMonitor", () => {
  it("raises alerts, writes today's and yesterday's snapshots and refreshes the eval's metrics", async () => {
    const { ctx, ev } = await withTwelve();
    const result = await runMonitor(ctx, { windowDays: 7 });
    expect(result).toEqual({ evalsChecked: 1, snapshotsWritten: 2, alertsRaised: 2, alertsResolved: 0 });
    // accuracy 0.625: 17.5 points under 0.80 → critical; contradiction rate 0.25: 10 points over → warning
    const alerts = await openAlerts(ev.id);
    expect(alerts.map((a) => [a.alertType, a.severity, a.currentValue]).sort()).toEqual([
      ["accuracy_drop", "critical", 0.625],
      ["contradiction_spike", "warning", 0.25],
    ]);
    expect(alerts[0]).toMatchObject({ triggeredAt: NOW, metadata: { window_days: 7, execution_count: 12 } });
    const snapshots = await t.db.select().from(performanceSnapshots).where(eq(performanceSnapshots.evalId, ev.id));
    expect(snapshots.sort((a, b) => a.snapshotDate.localeCompare(b.snapshotDate))).toMatchObject([
      // TP4, TN, neutral: κ with pe = (4·4 + 1·1)/25 and po = 1 is 1
      { snapshotDate: "2026-03-09", executionCount: 6, passCount: 5, failCount: 1, labeledCount: 5, accuracy: 1 },
      { snapshotDate: "2026-03-10", executionCount: 6, passCount: 1, failCount: 4, errorCount: 1, accuracy: 0 },
    ]);
    expect(snapshots[0]).toMatchObject({ precision: 1, recall: 1, cohenKappa: 1, contradictionCount: 0 });
    const [stored] = await t.db.select().from(evals).where(eq(evals.id, ev.id));
    // Over all labeled traces (the window does not apply): TP4 TN1 FN3 FP1 → accuracy 5/9
    expect(stored).toMatchObject({ confusionMatrix: { tp: 4, tn: 1, fn: 3, fp: 1 }, metricsUpdatedAt: NOW });
    expect(stored?.accuracy).toBeCloseTo(5 / 9, 12);
  });

  it("keeps one open alert per type on a second run, refreshing its figures", async () => {
    const { ctx, ev, executions } = await withTwelve();
    await runMonitor(ctx, { windowDays: 7 });
    const [first] = (await openAlerts(ev.id)).filter((a) => a.alertType === "accuracy_drop");
    await executions(3, "negative", true, "2026-03-10T10:00:00.000Z"); // 3 more FP: accuracy 5/11
    t.clock.set("2026-03-10T13:00:00.000Z");
    const again = await runMonitor(ctx, { windowDays: 7 });
    expect(again).toMatchObject({ alertsRaised: 0, alertsResolved: 0, snapshotsWritten: 2 });
    const alerts = await openAlerts(ev.id);
    expect(alerts).toHaveLength(2);
    const accuracy = alerts.find((a) => a.alertType === "accuracy_drop");
    expect(accuracy).toMatchObject({ id: first?.id, triggeredAt: NOW });
    expect(accuracy?.currentValue).toBeCloseTo(5 / 11, 12);
    expect(await t.db.select().from(performanceSnapshots).where(eq(performanceSnapshots.evalId, ev.id))).toHaveLength(
      2,
    );
  });

  it("resolves alerts whose condition cleared, and opens a new one when it comes back", async () => {
    const { ctx, ev, executions } = await withTwelve();
    await runMonitor(ctx, { windowDays: 7 });
    // 40 more TP: accuracy 45/48 ≈ 0.94, contradiction rate 3/52 ≈ 0.06
    await executions(40, "positive", true, "2026-03-10T10:00:00.000Z");
    const cleared = await runMonitor(ctx, { windowDays: 7 });
    expect(cleared).toMatchObject({ alertsRaised: 0, alertsResolved: 2 });
    expect(await openAlerts(ev.id)).toEqual([]);
    const resolved = await t.db.select().from(performanceAlerts).where(eq(performanceAlerts.evalId, ev.id));
    expect(resolved.map((a) => [a.resolvedBy, a.resolvedAt])).toEqual([
      ["monitor", NOW],
      ["monitor", NOW],
    ]);
    await executions(20, "positive", false, "2026-03-10T11:00:00.000Z"); // accuracy 45/68 ≈ 0.66
    t.clock.set("2026-03-10T14:00:00.000Z");
    expect(await runMonitor(ctx, { windowDays: 7 })).toMatchObject({ alertsRaised: 2 });
    expect((await openAlerts(ev.id)).map((a) => a.triggeredAt)).toEqual([
      "2026-03-10T14:00:00.000Z",
      "2026-03-10T14:00:00.000Z",
    ]);
  });

  it("never opens two alerts of a type even when two runs overlap", async () => {
    const { ctx, ev } = await withTwelve();
    await Promise.all([runMonitor(ctx, { windowDays: 7 }), runMonitor(ctx, { windowDays: 7 })]);
    expect((await openAlerts(ev.id)).map((a) => a.alertType).sort()).toEqual(["accuracy_drop", "contradiction_spike"]);
  });

  it("reports insufficient data below min_executions and leaves the other open alerts alone", async () => {
    const { ctx, ev } = await withTwelve(null); // default min_executions = 20 > 12
    await t.db
      .update(evals)
      .set({ monitoringThresholds: { min_executions: 10 } })
      .where(eq(evals.id, ev.id));
    await runMonitor(ctx, { windowDays: 7 });
    await t.db.update(evals).set({ monitoringThresholds: null }).where(eq(evals.id, ev.id));
    expect(await runMonitor(ctx, { windowDays: 7 })).toMatchObject({ alertsRaised: 1, alertsResolved: 0 });
    expect((await openAlerts(ev.id)).map((a) => [a.alertType, a.severity]).sort()).toEqual([
      ["accuracy_drop", "critical"],
      ["contradiction_spike", "warning"],
      ["insufficient_data", "info"],
    ]);
  });

  it("monitors active and auto-execute evals, or exactly the ones asked for", async () => {
    const { ctx, ws, agent, ev } = await setup();
    const autoDraft = await createEval(t.db, ws, agent, { status: "draft", autoExecuteEnabled: true });
    const draft = await createEval(t.db, ws, agent, { status: "draft" });
    const elsewhere = await createWorkspace(t.db);
    await createEval(t.db, elsewhere, await createAgent(t.db, elsewhere), { status: "active" });
    expect(await runMonitor(ctx, { windowDays: 7 })).toMatchObject({ evalsChecked: 2 });
    const insufficient = async (id: string) => (await openAlerts(id)).map((a) => a.alertType);
    expect(await insufficient(ev.id)).toEqual(["insufficient_data"]);
    expect(await insufficient(autoDraft.id)).toEqual(["insufficient_data"]);
    expect(await insufficient(draft.id)).toEqual([]);
    expect(await runMonitor(ctx, { windowDays: 7, evalIds: [draft.id] })).toMatchObject({ evalsChecked: 1 });
    expect(await insufficient(draft.id)).toEqual(["insufficient_data"]);
  });
});
