import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { AgentEvalPage, EvalSchema } from "../../src/api/evals/schemas";
import { evals } from "../../src/db/schema";
import { createAgent } from "../helpers/agent-factories";
import { expectError, makeTestApp, readJson } from "../helpers/app";
import { createEval } from "../helpers/eval-factories";
import { createWorkspace } from "../helpers/factories";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const agent = await createAgent(t.db, ws);
  const as = (path: string, options: Parameters<typeof t.request>[1] = {}) =>
    t.request(path, { workspace: ws.id, ...options });
  return { ...t, ws, agent, as };
}

describe("GET /api/agents/:id/evals", () => {
  it("lists the agent's versions newest first with a version cursor", async () => {
    const { as, db, ws, agent } = await setup();
    const [v1, v2, v3] = [
      await createEval(db, ws, agent),
      await createEval(db, ws, agent),
      await createEval(db, ws, agent),
    ];
    await createEval(db, ws, await createAgent(db, ws));
    const first = AgentEvalPage.parse(await readJson(await as(`/api/agents/${agent.id}/evals?limit=2`)));
    expect(first.evals.map((e) => [e.id, e.version])).toEqual([
      [v3.id, 3],
      [v2.id, 2],
    ]);
    const rest = AgentEvalPage.parse(
      await readJson(await as(`/api/agents/${agent.id}/evals?limit=2&cursor=${first.next_cursor}`)),
    );
    expect(rest.evals.map((e) => e.id)).toEqual([v1.id]);
    expect(rest.has_more).toBe(false);
  });

  it("answers 404 for another workspace's agent", async () => {
    const { as, db } = await setup();
    const theirs = await createAgent(db, await createWorkspace(db));
    await expectError(await as(`/api/agents/${theirs.id}/evals`), 404, "NOT_FOUND");
  });
});

describe("PATCH /api/evals/:id/settings", () => {
  it("switches auto-execution and stores complete thresholds merged over the defaults", async () => {
    const { as, db, ws, agent } = await setup();
    const row = await createEval(db, ws, agent);
    const path = `/api/evals/${row.id}/settings`;
    const first = EvalSchema.parse(
      await readJson(
        await as(path, {
          method: "PATCH",
          body: { auto_execute_enabled: true, monitoring_thresholds: { min_accuracy: 0.9 } },
        }),
      ),
    );
    expect(first).toMatchObject({
      auto_execute_enabled: true,
      auto_refine_enabled: false,
      monitoring_thresholds: {
        min_accuracy: 0.9,
        max_contradiction_rate: 0.15,
        max_error_rate: 0.1,
        min_executions: 20,
      },
    });
    await as(path, { method: "PATCH", body: { monitoring_thresholds: { min_executions: 50 } } });
    const [stored] = await db.select().from(evals).where(eq(evals.id, row.id));
    expect(stored?.monitoringThresholds).toEqual({
      min_accuracy: 0.9,
      max_contradiction_rate: 0.15,
      max_error_rate: 0.1,
      min_executions: 50,
    });
    const reset = EvalSchema.parse(
      await readJson(
        await as(path, { method: "PATCH", body: { monitoring_thresholds: null, auto_refine_enabled: true } }),
      ),
    );
    expect(reset).toMatchObject({ monitoring_thresholds: null, auto_refine_enabled: true, auto_execute_enabled: true });
  });

  it("validates thresholds and refuses unknown keys and empty bodies", async () => {
    const { as, db, ws, agent } = await setup();
    const path = `/api/evals/${(await createEval(db, ws, agent)).id}/settings`;
    for (const body of [
      {},
      { monitoring_thresholds: { min_accuracy: 1.5 } },
      { monitoring_thresholds: { max_contradiction_rate: -0.1 } },
      { monitoring_thresholds: { max_error_rate: 2 } },
      { monitoring_thresholds: { min_executions: 0 } },
      { monitoring_thresholds: { min_executions: 100_001 } },
      { monitoring_thresholds: { min_executions: 1.5 } },
      { monitoring_thresholds: { surprise: 1 } },
      { auto_execute_enabled: "yes" },
    ]) {
      await expectError(await as(path, { method: "PATCH", body }), 400, "VALIDATION_ERROR");
    }
  });
});
