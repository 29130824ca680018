import { describe, expect, it } from "vitest";
import {
  AlertPage,
  AlertSchema,
  EvalMetricsResponse,
  PerformanceTrendResponse,
} from "../../src/api/monitoring.schemas";
import { createAgent, createFeedback, createTrace } from "../helpers/agent-factories";
import { makeTestApp, readJson } from "../helpers/app";
import { createApiKey, createWorkspace } from "../helpers/factories";
import { createAlert, createEval, createExecution, createSnapshot } from "../helpers/matrix-factories";

const t = await makeTestApp();
t.clock.set("2026-03-10T12:00:00.000Z");

async function evalInWorkspace() {
  const ws = await createWorkspace(t.db);
  const agent = await createAgent(t.db, ws);
  const ev = await createEval(t.db, ws, agent);
  const get = (path: string) => t.request(`/api/evals/${ev.id}${path}`, { workspace: ws.id });
  const post = (path: string) => t.request(`/api/evals/${ev.id}${path}`, { method: "POST", workspace: ws.id });
  return { ws, agent, ev, get, post };
}

describe("GET /api/evals/{id}/metrics", () => {
  it("counts the window's executions against the labels", async () => {
    const { ws, agent, ev, get } = await evalInWorkspace();
    const at = (day: string) => ({ executedAt: `${day}T08:00:00.000Z` });
    for (const [rating, outcome, day] of [
      ["positive", true, "2026-03-09"],
      ["positive", false, "2026-03-09"],
      ["negative", false, "2026-03-10"],
      [null, "error", "2026-03-10"],
      ["negative", true, "2026-02-01"], // outside a 7-day window
    ] as const) {
      const trace = await createTrace(t.db, ws);
      if (rating) {
        await createFeedback(t.db, ws, trace, { agentId: agent.id, rating });
      }
      await createExecution(t.db, ws, ev, trace, outcome, at(day));
    }
    const res = await get("/metrics?window=7");
    expect(res.status).toBe(200);
    expect(EvalMetricsResponse.parse(await readJson(res))).toEqual({
      eval_id: ev.id,
      window_days: 7,
      metrics: {
        execution_count: 4,
        pass_count: 1,
        fail_count: 2,
        error_count: 1,
        contradiction_count: 1,
        labeled_count: 3,
        accuracy: 2 / 3,
        contradiction_rate: 0.25,
        error_rate: 0.25,
      },
    });
    const wide = EvalMetricsResponse.parse(await readJson(await get("/metrics?window=60")));
    expect(wide.metrics).toMatchObject({ execution_count: 5, contradiction_count: 2, accuracy: 0.5 });
  });

  it("answers null rates for an eval that never ran", async () => {
    const { get } = await evalInWorkspace();
    const body = EvalMetricsResponse.parse(await readJson(await get("/metrics")));
    expect(body).toMatchObject({ window_days: 7, metrics: { execution_count: 0, accuracy: null, error_rate: null } });
  });
});

describe("GET /api/evals/{id}/performance-trend", () => {
  it("lists the last `days` daily snapshots, oldest first", async () => {
    const { ev, get } = await evalInWorkspace();
    for (const [snapshotDate, accuracy] of [
      ["2026-03-10", 0.9],
      ["2026-03-01", 0.5],
      ["2026-03-09", 0.8],
      ["2026-03-08", 0.7],
    ] as const) {
      await createSnapshot(t.db, ev, { snapshotDate, accuracy, executionCount: 10, passCount: 6, failCount: 4 });
    }
    const res = await get("/performance-trend?days=3");
    expect(res.status).toBe(200);
    const body = PerformanceTrendResponse.parse(await readJson(res));
    expect(body.snapshots.map((s) => [s.date, s.accuracy])).toEqual([
      ["2026-03-08", 0.7],
      ["2026-03-09", 0.8],
      ["2026-03-10", 0.9],
    ]);
    expect(body.snapshots[0]).toMatchObject({ execution_count: 10, pass_count: 6, fail_count: 4, error_count: 0 });
    expect(PerformanceTrendResponse.parse(await readJson(await get("/performance-trend"))).snapshots).toHaveLength(4);
  });
});

describe("alerts", () => {
  it("lists open alerts by default and all with status=all, newest first, paged", async () => {
    const { ws, ev, get } = await evalInWorkspace();
    const old = await createAlert(t.db, ws, ev, {
      triggeredAt: "2026-03-01T00:00:00.000Z",
      resolvedAt: "2026-03-02T00:00:00.000Z",
    });
    const mid = await createAlert(t.db, ws, ev, { alertType: "error_spike", triggeredAt: "2026-03-05T00:00:00.000Z" });
    const recent = await createAlert(t.db, ws, ev, { triggeredAt: "2026-03-09T00:00:00.000Z" });
    const open = AlertPage.parse(await readJson(await get("/alerts")));
    expect(open.alerts.map((a) => a.id)).toEqual([recent.id, mid.id]);
    const first = AlertPage.parse(await readJson(await get("/alerts?status=all&limit=2")));
    expect(first.alerts.map((a) => a.id)).toEqual([recent.id, mid.id]);
    const rest = AlertPage.parse(await readJson(await get(`/alerts?status=all&limit=2&cursor=${first.next_cursor}`)));
    expect(rest).toMatchObject({ alerts: [{ id: old.id, resolved_at: "2026-03-02T00:00:00.000Z" }], has_more: false });
  });

  it("acknowledges and resolves an alert once, recording who and when", async () => {
    const { ws, ev } = await evalInWorkspace();
    const alert = await createAlert(t.db, ws, ev);
    const ack = await t.request(`/api/evals/${ev.id}/alerts/${alert.id}/acknowledge`, {
      method: "POST",
      workspace: ws.id,
    });
    expect(ack.status).toBe(200);
    expect(AlertSchema.parse(await readJson(ack))).toMatchObject({
      acknowledged_at: "2026-03-10T12:00:00.000Z",
      acknowledged_by: "local",
      resolved_at: null,
    });
    t.clock.set("2026-03-10T13:00:00.000Z");
    const again = await t.request(`/api/evals/${ev.id}/alerts/${alert.id}/acknowledge`, {
      method: "POST",
      workspace: ws.id,
    });
    expect((await readJson(again)).acknowledged_at).toBe("2026-03-10T12:00:00.000Z");
    const resolved = await t.request(`/api/evals/${ev.id}/alerts/${alert.id}/resolve`, {
      method: "POST",
      workspace: ws.id,
    });
    expect(AlertSchema.parse(await readJson(resolved))).toMatchObject({
      resolved_at: "2026-03-10T13:00:00.000Z",
      resolved_by: "local",
    });
    t.clock.set("2026-03-10T12:00:00.000Z");
  });

  it("records the API key that acknowledged an alert in key mode", async () => {
    const keyed = await makeTestApp({ env: { AUTH_MODE: "key" } });
    const ws = await createWorkspace(keyed.db);
    const ev = await createEval(keyed.db, ws, await createAgent(keyed.db, ws));
    const alert = await createAlert(keyed.db, ws, ev);
    const member = await createApiKey(keyed.db, ws, "member");
    const res = await keyed.request(`/api/evals/${ev.id}/alerts/${alert.id}/acknowledge`, {
      method: "POST",
      apiKey: member.key,
    });
    expect((await readJson(res)).acknowledged_by).toBe(member.id);
  });

  it("answers 404 for an alert of another eval, even in the same workspace", async () => {
    const { ws, agent, post } = await evalInWorkspace();
    const sibling = await createEval(t.db, ws, agent);
    const alert = await createAlert(t.db, ws, sibling);
    for (const action of ["acknowledge", "resolve"]) {
      const res = await post(`/alerts/${alert.id}/${action}`);
      expect(res.status).toBe(404);
      expect((await readJson(res)).error.code).toBe("NOT_FOUND");
    }
  });
});

describe("validation", () => {
  it("refuses out-of-range windows, days and statuses with 400", async () => {
    const { get } = await evalInWorkspace();
    for (const path of [
      "/metrics?window=0",
      "/metrics?window=366",
      "/performance-trend?days=abc",
      "/alerts?status=open",
    ]) {
      const res = await get(path);
      expect([path, res.status, (await readJson(res)).error.code]).toEqual([path, 400, "VALIDATION_ERROR"]);
    }
  });
});
