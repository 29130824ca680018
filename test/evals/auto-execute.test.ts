import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { evalExecutions, jobs } from "../../src/db/schema";
import { scheduleAutoExecution } from "../../src/evals";
import { storeTraces } from "../../src/traces";
import { createAgent, createTrace, createVersion } from "../helpers/agent-factories";
import { createEval } from "../helpers/eval-factories";
import { makeJobsApp } from "../jobs/support";
import { agentSetup, answerTrace, waitForJob } from "./helpers";

async function setup() {
  const t = await makeJobsApp();
  return { ...t, ...(await agentSetup(t)) };
}

const executeJobs = (db: Awaited<ReturnType<typeof setup>>["db"]) =>
  db.select().from(jobs).where(eq(jobs.type, "execute"));

describe("auto-execution of new traces", () => {
  it("runs each auto-execute eval of the traces' agent when traces are stored", async () => {
    const { ctx, db, ws, agent } = await setup();
    const auto = await createEval(db, ws, agent, { autoExecuteEnabled: true });
    const manual = await createEval(db, ws, agent);
    const archived = await createEval(db, ws, agent, { autoExecuteEnabled: true, status: "archived" });
    const otherAgent = await createAgent(db, ws);
    await createVersion(db, otherAgent, { active: true, promptTemplate: "Unrelated {{x}} prompt", variables: ["x"] });
    const otherAuto = await createEval(db, ws, otherAgent, { autoExecuteEnabled: true });

    const stored = await storeTraces(ctx, {
      traces: [answerTrace("a", "Open Settings"), answerTrace("b", "No idea")],
    });
    const ids = stored.stored.map((s) => s.id);
    const created = await executeJobs(db);
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ agentId: agent.id, triggerEvent: "traces_stored", workspaceId: ws.id });
    const metadata = created[0]?.metadata as { eval_id: string; trace_ids: string[]; force: boolean };
    expect(metadata).toMatchObject({ eval_id: auto.id, force: true });
    expect([...metadata.trace_ids].sort()).toEqual([...ids].sort());

    const job = await waitForJob(db, created[0]!.id);
    expect(job.status).toBe("completed");
    const rows = await db.select().from(evalExecutions);
    expect(rows.map((r) => [r.evalId, r.traceId, r.predictedResult]).sort()).toEqual(
      [
        [auto.id, ids[0], true],
        [auto.id, ids[1], false],
      ].sort(),
    );
    for (const quiet of [manual, archived, otherAuto]) {
      expect(rows.some((r) => r.evalId === quiet.id)).toBe(false);
    }
  });

  it("re-runs on a re-imported trace, replacing its execution", async () => {
    const { ctx, db, ws, agent } = await setup();
    await createEval(db, ws, agent, { autoExecuteEnabled: true });
    await storeTraces(ctx, { traces: [answerTrace("a", "No idea")] });
    await waitForJob(db, (await executeJobs(db))[0]!.id);
    // Same trace, new span with a different final answer: merged in place.
    const again = answerTrace("a", "Open Settings", {});
    again.spans[0]!.span_id = "a-s2";
    again.spans[0]!.started_at = "2025-05-01T10:00:05.000Z";
    again.spans[0]!.ended_at = "2025-05-01T10:00:06.000Z";
    await storeTraces(ctx, { traces: [again] });
    const all = await executeJobs(db);
    expect(all).toHaveLength(2);
    for (const job of all) {
      await waitForJob(db, job.id);
    }
    const rows = await db.select().from(evalExecutions);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.predictedResult).toBe(true);
  });

  it("starts nothing for traces of no agent, of another workspace, or without auto-execute evals", async () => {
    const { ctx, db, ws, agent, deps } = await setup();
    await createEval(db, ws, agent);
    const unassigned = await createTrace(db, ws);
    const other = await agentSetup({ db, deps });
    await createEval(db, other.ws, other.agent, { autoExecuteEnabled: true });
    const theirs = await createTrace(db, other.ws, { agentVersionId: other.version.id });
    expect(await scheduleAutoExecution(ctx, [unassigned.id, theirs.id])).toEqual([]);
    expect(await scheduleAutoExecution(ctx, [])).toEqual([]);
    await storeTraces(ctx, { traces: [answerTrace("x", "Settings")] });
    expect(await executeJobs(db)).toEqual([]);
  });
});
