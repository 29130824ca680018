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
  type NewPerformanceAlert,
  type NewPerformanceSnapshot,
  type PerformanceAlert,
  type PerformanceSnapshot,
  performanceAlerts,
  performanceSnapshots,
} from "../../src/db/schema";
import type { FeedbackRating } from "../../src/db/schema/enums";
import { syncExecutionLabels } from "../../src/matrix/execution-labels";
import { createFeedback, createTrace } from "./agent-factories";

// Evals, executions, alerts and snapshots written directly (not through the evals services, which
// another area owns), so the matrix and monitoring tests can set up any state.

type Ref = { id: string };

/** Version max+1 of the agent's evals. */
export async function createEval(db: Database, ws: Ref, agent: Ref, over: Partial<NewEval> = {}): Promise<Eval> {
  const [row] = await db
    .insert(evals)
    .values({
      id: newId("eval"),
      workspaceId: ws.id,
      agentId: agent.id,
      version: sql`(select coalesce(max(version), 0) + 1 from evals where agent_id = ${agent.id})`,
      name: "eval under test",
      code: "export function evaluate(trace) { return true; }",
      status: "active",
      ...over,
    })
    .returning();
  return row!;
}

/** A verdict (true = pass), "error" (no verdict, an error text) for a failed execution. */
export type Outcome = boolean | "error";

export async function createExecution(
  db: Database,
  ws: Ref,
  ev: Ref,
  trace: Ref,
  outcome: Outcome,
  over: Partial<NewEvalExecution> = {},
): Promise<EvalExecution> {
  const failed = outcome === "error";
  const [row] = await db
    .insert(evalExecutions)
    .values({
      id: newId("evalExecution"),
      workspaceId: ws.id,
      evalId: ev.id,
      traceId: trace.id,
      predictedResult: failed ? null : outcome,
      score: failed ? null : outcome ? 1 : 0,
      reason: failed ? null : outcome ? "looks right" : "looks wrong",
      error: failed ? "TypeError: boom" : null,
      errorKind: failed ? "runtime" : null,
      executionTimeMs: 10,
      ...over,
    })
    .returning();
  // As the execution writer does: the execution carries its trace's current label.
  await syncExecutionLabels(db, ws.id, [trace.id]);
  return row!;
}

export interface LabeledRow {
  rating: FeedbackRating;
  /** One entry per eval, in order: a verdict, "error", or null for no execution. */
  outcomes: (Outcome | null)[];
  /** The label's created_at; rows without one get distinct increasing instants. */
  labeledAt?: string;
  /** Execution time of every execution of this row. */
  ms?: number | null;
}

/**
 * Traces labeled for `agent` with the given outcomes per eval. Returns trace ids in row order.
 * Rows without `labeledAt` are labeled one second apart from 2026-01-01T00:00:00Z.
 */
export async function createLabeledRows(
  db: Database,
  ws: Ref,
  agent: Ref,
  evalRefs: Ref[],
  rows: LabeledRow[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, row] of rows.entries()) {
    const trace = await createTrace(db, ws, { inputPreview: `input ${i}`, outputPreview: `output ${i}` });
    const labeledAt = row.labeledAt ?? new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    await createFeedback(db, ws, trace, { agentId: agent.id, rating: row.rating, createdAt: labeledAt });
    for (const [k, outcome] of row.outcomes.entries()) {
      const ev = evalRefs[k];
      if (outcome !== null && ev) {
        await createExecution(db, ws, ev, trace, outcome, { executionTimeMs: row.ms === undefined ? 10 : row.ms });
      }
    }
    ids.push(trace.id);
  }
  return ids;
}

/** `count` rows of the same rating and single-eval outcome, for hand-built confusion matrices. */
export function rowsOf(count: number, rating: FeedbackRating, outcome: Outcome | null): LabeledRow[] {
  return Array.from({ length: count }, () => ({ rating, outcomes: [outcome] }));
}

export async function createAlert(
  db: Database,
  ws: Ref,
  ev: Ref,
  over: Partial<NewPerformanceAlert> = {},
): Promise<PerformanceAlert> {
  const [row] = await db
    .insert(performanceAlerts)
    .values({
      id: newId("alert"),
      workspaceId: ws.id,
      evalId: ev.id,
      alertType: "accuracy_drop",
      severity: "warning",
      currentValue: 0.7,
      thresholdValue: 0.8,
      message: "Accuracy 70.0% is below 80.0%",
      ...over,
    })
    .returning();
  return row!;
}

export async function createSnapshot(
  db: Database,
  ev: Ref,
  over: Partial<NewPerformanceSnapshot> & { snapshotDate: string },
): Promise<PerformanceSnapshot> {
  const [row] = await db
    .insert(performanceSnapshots)
    .values({ id: newId("snapshot"), evalId: ev.id, ...over })
    .returning();
  return row!;
}
