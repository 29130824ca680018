import { sql } from "drizzle-orm";
import type { Database } from "../../src/db/client";
import { newId } from "../../src/db/ids";
import {
  type Eval,
  type EvalExecution,
  evalExecutions,
  evals,
  type NewEval,
  type NewEvalExecution,
} from "../../src/db/schema";
import { syncExecutionLabels } from "../../src/matrix/execution-labels";

// Eval and execution rows written directly (not through services), so a test can set up any state.

type WorkspaceRef = { id: string };

/** Passes when the trace's output mentions "Settings". */
export const SETTINGS_EVAL = `function evaluate(trace) {
  const ok = /settings/i.test(String(trace.output));
  return { pass: ok, score: ok ? 1 : 0, reason: ok ? "mentions Settings" : "no Settings" };
}`;

/** Version max+1 of the agent's evals. */
export async function createEval(
  db: Database,
  ws: WorkspaceRef,
  agent: { id: string },
  over: Partial<NewEval> = {},
): Promise<Eval> {
  const id = newId("eval");
  const [row] = await db
    .insert(evals)
    .values({
      id,
      workspaceId: ws.id,
      agentId: agent.id,
      version: sql`(select coalesce(max(version), 0) + 1 from evals where agent_id = ${agent.id})`,
      name: `Eval ${id}`,
      code: SETTINGS_EVAL,
      ...over,
    })
    .returning();
  return row!;
}

export async function createExecution(
  db: Database,
  ws: WorkspaceRef,
  evalRow: { id: string },
  trace: { id: string },
  over: Partial<NewEvalExecution> = {},
): Promise<EvalExecution> {
  const [row] = await db
    .insert(evalExecutions)
    .values({
      id: newId("evalExecution"),
      workspaceId: ws.id,
      evalId: evalRow.id,
      traceId: trace.id,
      predictedResult: true,
      score: 1,
      reason: "ok",
      executionTimeMs: 3,
      consoleOutput: "",
      ...over,
    })
    .returning();
  // As the execution writer does: the execution carries its trace's current label.
  await syncExecutionLabels(db, ws.id, [trace.id]);
  return row!;
}
