import { and, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import { evalExecutions } from "../db/schema";
import type { EvalOutcome } from "../sandbox";
import { CorruptTracePayloadError, loadTraceViews } from "../traces";
import type { TraceView } from "../traces/model";
import { inIdList } from "./internal";
import { type ExecutionOutcome, type ExecutionScope, writeExecutions } from "./write-executions";

/** Inputs per `runMany` call: a hostile eval spends at most ~1 s per input, so a call stays well inside a lease. */
const SANDBOX_CHUNK = 30;

export interface BatchTally {
  executed: number;
  skipped: number;
  /** Deleted between listing and loading. */
  vanished: number;
  unreadableIds: string[];
  errors: number;
  passed: number;
  failed: number;
}

export interface BatchOptions {
  force: boolean;
  /** Called between sandbox calls, so a long batch keeps the job's lease. */
  heartbeat: () => Promise<void>;
}

/** Traces of `ids` that already have a current execution of this eval. */
async function findExecuted(ctx: Ctx, evalId: string, ids: string[]): Promise<Set<string>> {
  const rows = await ctx.db
    .select({ traceId: evalExecutions.traceId })
    .from(evalExecutions)
    .where(and(eq(evalExecutions.evalId, evalId), inIdList(evalExecutions.traceId, ids)));
  return new Set(rows.map((r) => r.traceId));
}

/**
 * Views of `ids`; a trace whose stored payload is corrupt is reported and left out instead of
 * failing the whole job (each one found costs a re-read of the group, and they are rare).
 */
async function loadReadableViews(ctx: Ctx, ids: string[]): Promise<{ views: Map<string, TraceView>; bad: string[] }> {
  const bad: string[] = [];
  let remaining = ids;
  for (;;) {
    try {
      return { views: await loadTraceViews(ctx, remaining), bad };
    } catch (err) {
      if (!(err instanceof CorruptTracePayloadError) || !remaining.includes(err.traceId)) {
        throw err;
      }
      bad.push(err.traceId);
      remaining = remaining.filter((id) => id !== err.traceId);
    }
  }
}

async function runInSandbox(
  ctx: Ctx,
  code: string,
  views: TraceView[],
  heartbeat: () => Promise<void>,
): Promise<EvalOutcome[]> {
  const outcomes: EvalOutcome[] = [];
  for (let i = 0; i < views.length; i += SANDBOX_CHUNK) {
    if (i > 0) {
      await heartbeat();
    }
    outcomes.push(...(await ctx.deps.sandbox.runMany(code, views.slice(i, i + SANDBOX_CHUNK))));
  }
  return outcomes;
}

function tallyOutcomes(rows: ExecutionOutcome[], tally: BatchTally): void {
  for (const { outcome } of rows) {
    if (!outcome.ok) {
      tally.errors += 1;
    } else if (outcome.pass) {
      tally.passed += 1;
    } else {
      tally.failed += 1;
    }
  }
}

/**
 * One batch of the execute job: skip traces already executed (unless forced), load the views, run
 * the eval over them in the sandbox and store every outcome in one `db.batch`.
 */
export async function executeBatch(
  ctx: Ctx,
  scope: ExecutionScope,
  ids: string[],
  options: BatchOptions,
): Promise<BatchTally> {
  const tally: BatchTally = {
    executed: 0,
    skipped: 0,
    vanished: 0,
    unreadableIds: [],
    errors: 0,
    passed: 0,
    failed: 0,
  };
  const executed = options.force ? new Set<string>() : await findExecuted(ctx, scope.evalId, ids);
  const toRun = ids.filter((id) => !executed.has(id));
  tally.skipped = ids.length - toRun.length;
  const { views, bad } = await loadReadableViews(ctx, toRun);
  tally.unreadableIds = bad;
  const loaded = toRun.flatMap((id) => {
    const view = views.get(id);
    return view ? [{ id, view }] : [];
  });
  tally.vanished = toRun.length - loaded.length - bad.length;
  const outcomes = await runInSandbox(
    ctx,
    scope.code,
    loaded.map((l) => l.view),
    options.heartbeat,
  );
  // runMany returns exactly one outcome per input, in order.
  const rows = loaded.map(({ id }, i) => ({ traceId: id, outcome: outcomes[i] as EvalOutcome }));
  if (rows.length > 0) {
    await writeExecutions(ctx, scope, rows);
  }
  tally.executed = rows.length;
  tallyOutcomes(rows, tally);
  return tally;
}
