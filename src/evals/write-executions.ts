import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { MAX_BOUND_PARAMETERS } from "../db/chunk";
import { newId } from "../db/ids";
import { evalExecutions, evals } from "../db/schema";
import { labelColumnsOf } from "../matrix/execution-labels";
import type { EvalOutcome } from "../sandbox";

/** What every row of one write shares; `code` is the source the outcomes came from. */
export interface ExecutionScope {
  evalId: string;
  code: string;
  jobId: string | null;
  executedAt: string;
}

export interface ExecutionOutcome {
  traceId: string;
  outcome: EvalOutcome;
}

const VALUES_PER_ROW = 9;
// Bound once per statement: workspace, eval and job ids, the time, the guard's eval id, workspace, code,
// and the workspace (twice) and eval id of the two label-copy subqueries.
const SHARED_VALUES = 14;
// D1 binds at most 100 parameters per statement.
const ROWS_PER_STATEMENT = Math.floor((MAX_BOUND_PARAMETERS - SHARED_VALUES) / VALUES_PER_ROW);

function rowValues({ traceId, outcome }: ExecutionOutcome, nowMs: number): SQL {
  const id = newId("evalExecution", nowMs);
  const ms = Math.round(outcome.durationMs);
  if (outcome.ok) {
    const pass = outcome.pass ? 1 : 0;
    return sql`(${id}, ${traceId}, ${pass}, ${outcome.score}, ${outcome.reason}, ${null}, ${null}, ${outcome.console}, ${ms})`;
  }
  const { kind, message } = outcome.error;
  return sql`(${id}, ${traceId}, ${null}, ${null}, ${null}, ${message}, ${kind}, ${outcome.console}, ${ms})`;
}

/**
 * One current row per (eval, trace): INSERT … SELECT … ON CONFLICT DO UPDATE. The rows are written
 * only if the eval still exists with the code that produced them (a code change deletes the
 * executions in the same batch as it stores the code, so a job still running the old code writes
 * nothing), and only for traces still in the workspace (one deleted meanwhile is skipped, not an
 * FK error). Built with the query builder, not `db.run`: Drizzle's D1 batch cannot bind raw statements.
 */
function upsertStatement(ctx: Ctx, scope: ExecutionScope, rows: ExecutionOutcome[]) {
  const nowMs = Date.parse(scope.executedAt);
  const values = sql.join(
    rows.map((row) => rowValues(row, nowMs)),
    sql`, `,
  );
  const ws = ctx.workspaceId;
  // The trace's current label, copied in the same statement (see src/matrix/execution-labels.ts).
  const label = labelColumnsOf(sql`v.column2`, sql`${scope.evalId}`, ws);
  // Columns in the table's order: Drizzle inserts a raw SELECT into every column, in order.
  const select = sql`select v.column1, ${ws}, ${scope.evalId}, v.column2, v.column3, v.column4, v.column5, v.column6,
      v.column7, v.column8, v.column9, ${scope.jobId}, ${scope.executedAt},
      ${label.labelRating}, ${label.labelCreatedAt}
    from (values ${values}) as v
    where exists (select 1 from evals e where e.id = ${scope.evalId} and e.workspace_id = ${ws} and e.code = ${scope.code})
      and exists (select 1 from traces t where t.id = v.column2 and t.workspace_id = ${ws})`;
  return ctx.db
    .insert(evalExecutions)
    .select(select)
    .onConflictDoUpdate({
      target: [evalExecutions.evalId, evalExecutions.traceId],
      set: {
        predictedResult: sql`excluded.predicted_result`,
        score: sql`excluded.score`,
        reason: sql`excluded.reason`,
        error: sql`excluded.error`,
        errorKind: sql`excluded.error_kind`,
        consoleOutput: sql`excluded.console_output`,
        executionTimeMs: sql`excluded.execution_time_ms`,
        jobId: sql`excluded.job_id`,
        executedAt: sql`excluded.executed_at`,
        labelRating: sql`excluded.label_rating`,
        labelCreatedAt: sql`excluded.label_created_at`,
      },
    });
}

/**
 * The eval's counters recomputed from its current rows (re-execution replaces rows, so adding would
 * double count). A failed execution is exactly one with no prediction, which the
 * (eval_id, predicted_result) index counts without reading rows.
 */
function countersStatement(ctx: Ctx, scope: ExecutionScope) {
  const id = scope.evalId;
  return ctx.db
    .update(evals)
    .set({
      executionCount: sql`(select count(*) from eval_executions x where x.eval_id = ${id})`,
      errorCount: sql`(select count(*) from eval_executions x where x.eval_id = ${id} and x.predicted_result is null)`,
    })
    .where(and(eq(evals.id, id), eq(evals.workspaceId, ctx.workspaceId), eq(evals.code, scope.code)));
}

/** Stores a batch of outcomes and the eval's counters atomically, in one `db.batch`. */
export async function writeExecutions(ctx: Ctx, scope: ExecutionScope, rows: ExecutionOutcome[]): Promise<void> {
  const chunks: ExecutionOutcome[][] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    chunks.push(rows.slice(i, i + ROWS_PER_STATEMENT));
  }
  const [first, ...rest] = chunks.map((chunk) => upsertStatement(ctx, scope, chunk));
  if (first) {
    await ctx.db.batch([first, ...rest, countersStatement(ctx, scope)]);
  }
}
