import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { evalExecutions } from "../db/schema";

// eval_executions carries a copy of its trace's label as it counts for the eval's agent (rating and
// created_at, both null when the trace has no label or its label counts for another agent), so the matrix
// stats scan index ranges instead of joining per row. The copy is exact only if every change to its
// sources rewrites it in the same db.batch: execution writes (copied in their INSERT … SELECT), label
// create/update/delete, and trace (re)assignment. An eval never changes agent. Each expression reads the
// CURRENT rows, so a statement placed after the change in its batch copies the committed state. A copy
// is non-null only when the execution, its trace's label and its eval share the workspace, so a scan
// of one workspace's eval never counts another workspace's rows.

/**
 * The label columns of the execution of eval `evalId` on trace `traceId` (SQL expressions of the
 * enclosing statement). Whose label follows the matrix rule (src/matrix/query.ts labelsOfAgent): the
 * label's own agent, else the agent of the trace's assigned version.
 */
export function labelColumnsOf(traceId: SQL, evalId: SQL, workspaceId: string) {
  const countingLabel = (column: SQL) =>
    sql`(select ${column} from feedback f where f.trace_id = ${traceId} and f.workspace_id = ${workspaceId}
      and coalesce(f.agent_id, (select av.agent_id from traces t join agent_versions av on av.id = t.agent_version_id
        where t.id = f.trace_id and t.workspace_id = f.workspace_id)) = (select e.agent_id from evals e where e.id = ${evalId} and e.workspace_id = ${workspaceId}))`;
  return { labelRating: countingLabel(sql`f.rating`), labelCreatedAt: countingLabel(sql`f.created_at`) };
}

/**
 * Rewrites the label columns of every execution on `traceIds` (≤ 90, D1's parameter limit) from the
 * current label and assignment. Batch it right after the statement that changed them.
 */
export function syncExecutionLabels(db: Database, workspaceId: string, traceIds: string[]) {
  // Qualified by table name: inside the subqueries a bare `trace_id` would mean feedback's.
  const columns = labelColumnsOf(sql.raw("eval_executions.trace_id"), sql.raw("eval_executions.eval_id"), workspaceId);
  return db
    .update(evalExecutions)
    .set(columns)
    .where(and(eq(evalExecutions.workspaceId, workspaceId), inArray(evalExecutions.traceId, traceIds)));
}
