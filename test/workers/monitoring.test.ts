import { createScheduledController } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { newId } from "../../src/db/ids";
import {
  agents,
  evalExecutions,
  evals,
  feedback,
  jobs,
  performanceAlerts,
  performanceSnapshots,
  traces,
  workspaces,
} from "../../src/db/schema";
import { syncExecutionLabels } from "../../src/matrix/execution-labels";
import worker from "../../src/runtime/worker";

const db = createDb(env.DB);
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 50));

/** A workspace whose active eval failed 12 of 30 positive labels today (accuracy 0.6), written on D1. */
async function workspaceWithFailingEval() {
  const [ws, agent, ev] = [newId("workspace"), newId("agent"), newId("eval")];
  await db.batch([
    db.insert(workspaces).values({ id: ws, name: "monitored" }),
    db.insert(agents).values({ id: agent, workspaceId: ws, name: "bot", status: "confirmed" }),
    db
      .insert(evals)
      .values({ id: ev, workspaceId: ws, agentId: agent, version: 1, name: "e", code: "x", status: "active" }),
  ]);
  const now = new Date().toISOString();
  for (let i = 0; i < 30; i++) {
    const trace = newId("trace");
    await db.batch([
      db.insert(traces).values({ id: trace, workspaceId: ws, source: "api", externalId: trace }),
      db.insert(feedback).values({
        id: newId("feedback"),
        workspaceId: ws,
        traceId: trace,
        agentId: agent,
        rating: "positive",
        createdBy: "t",
      }),
      db.insert(evalExecutions).values({
        id: newId("evalExecution"),
        workspaceId: ws,
        evalId: ev,
        traceId: trace,
        predictedResult: i >= 12,
        executionTimeMs: 3,
        executedAt: now,
      }),
      // As the writers do: the execution carries its trace's label.
      syncExecutionLabels(db, ws, [trace]),
    ]);
  }
  return { ws, ev };
}

describe("monitoring on the Worker", () => {
  it("creates the slot's monitor job from the cron once, even when crons overlap, and the queue runs it", async () => {
    const { ws, ev } = await workspaceWithFailingEval();
    await Promise.all([
      worker.scheduled(createScheduledController(), env),
      worker.scheduled(createScheduledController(), env),
    ]);
    const monitorJobs = () =>
      db
        .select()
        .from(jobs)
        .where(and(eq(jobs.workspaceId, ws), eq(jobs.type, "monitor")));
    let [job, ...others] = await monitorJobs();
    expect(others).toEqual([]);
    for (let i = 0; i < 600 && job?.status !== "completed"; i++) {
      await pause();
      [job] = await monitorJobs();
    }
    expect(job).toMatchObject({ status: "completed", result: { evals_checked: 1, alerts_raised: 2 } });
    await worker.scheduled(createScheduledController(), env);
    expect(await monitorJobs()).toHaveLength(1);

    const open = await db
      .select()
      .from(performanceAlerts)
      .where(and(eq(performanceAlerts.evalId, ev), isNull(performanceAlerts.resolvedAt)));
    // accuracy 18/30 = 0.6 (critical, 20 points under 0.8); contradiction rate 12/30 = 0.4
    expect(open.map((a) => [a.alertType, a.severity]).sort()).toEqual([
      ["accuracy_drop", "critical"],
      ["contradiction_spike", "critical"],
    ]);
    const [snapshot] = await db.select().from(performanceSnapshots).where(eq(performanceSnapshots.evalId, ev));
    expect(snapshot).toMatchObject({ executionCount: 30, passCount: 18, labeledCount: 30, accuracy: 0.6 });
  });

  it("schedules more workspaces in one pass than D1 binds parameters for in one statement", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const [ws, agent] = [newId("workspace"), newId("agent")];
      await db.batch([
        db.insert(workspaces).values({ id: ws, name: "many" }),
        db.insert(agents).values({ id: agent, workspaceId: ws, name: "bot", status: "confirmed" }),
        db.insert(evals).values({
          id: newId("eval"),
          workspaceId: ws,
          agentId: agent,
          version: 1,
          name: "e",
          code: "x",
          autoExecuteEnabled: true,
        }),
      ]);
      ids.push(ws);
    }
    await worker.scheduled(createScheduledController(), env);
    const scheduled = await db
      .select({ workspaceId: jobs.workspaceId })
      .from(jobs)
      .where(and(eq(jobs.type, "monitor"), inArray(jobs.workspaceId, ids)));
    expect(scheduled.map((j) => j.workspaceId).sort()).toEqual(ids.sort());
  });

  it("serves the matrix of 10 evals with every filter, and the metrics, over HTTP from D1", async () => {
    const { ws, ev } = await workspaceWithFailingEval();
    const [row] = await db.select({ agentId: evals.agentId }).from(evals).where(eq(evals.id, ev));
    const agentId = row?.agentId ?? "";
    // Nine more evals without executions: the statement joins 10 aliases and stays under 100 parameters.
    const more = Array.from({ length: 9 }, (_, i) => ({
      id: newId("eval"),
      workspaceId: ws,
      agentId,
      version: i + 2,
      name: `e${i}`,
      code: "x",
    }));
    await db.insert(evals).values(more.slice(0, 4));
    await db.insert(evals).values(more.slice(4));
    const evalIds = [ev, ...more.map((e) => e.id)].join(",");
    const call = (path: string) =>
      exports.default.fetch(new Request(`http://iofold.test${path}`, { headers: { "X-Workspace-Id": ws } }));
    type Page = { rows: unknown[]; total_traces: number; next_cursor: string; stats: Record<string, { n: number }> };
    const query = `eval_ids=${evalIds}&filter=contradictions_only&rating=positive,negative,neutral&date_from=2020-01-01T00:00:00Z&date_to=2100-01-01T00:00:00Z`;
    const first = await call(`/api/agents/${agentId}/matrix?${query}&limit=5`);
    expect(first.status).toBe(200);
    const body = await first.json<Page>();
    expect(body.rows).toHaveLength(5);
    expect(body.total_traces).toBe(12);
    expect(body.stats[ev]?.n).toBe(12); // over the filtered set: the 12 contradicted rows
    const next = await call(`/api/agents/${agentId}/matrix?${query}&limit=200&cursor=${body.next_cursor}`);
    expect((await next.json<Page>()).rows).toHaveLength(7);
    const metrics = await call(`/api/evals/${ev}/metrics?window=1`);
    expect(await metrics.json()).toMatchObject({ metrics: { execution_count: 30, accuracy: 0.6 } });
  });
});
