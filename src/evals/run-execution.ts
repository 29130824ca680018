import { and, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import { type Eval, evals } from "../db/schema";
import type { JobContext } from "../jobs/handlers/types";
import { storeEvalMetrics } from "../matrix";
import { type BatchTally, executeBatch } from "./execute-batch";
import { getEvalOrThrow } from "./internal";
import { countTargetTraces, iterateAgentTargets, resolveTraceIds, type TargetSet, type TargetTrace } from "./targets";
import type { ExecutionScope } from "./write-executions";

// Two of loadTraceViews' groups of 90: few queries per trace (D1 counts queries per invocation),
// while a batch's views and outcomes stay small.
const BATCH_TRACES = 180;
// Documents reach 20 MB: a batch also stops at this many stored bytes (at least one trace per batch).
const BATCH_BYTES = 16 * 1024 * 1024;
const PAGE_TRACES = 900;
// Reported ids are capped so a result stays small; the counts are always complete.
const MAX_REPORTED_IDS = 100;

export interface ExecutionRequest {
  evalId: string;
  target: TargetSet;
  force: boolean;
}

/** The job's result, as stored on the job (snake_case: the jobs API returns it as is). */
export type ExecutionResult = {
  eval_id: string;
  target: TargetSet["kind"];
  force: boolean;
  total: number;
  executed: number;
  skipped: number;
  not_found: number;
  not_found_ids: string[];
  unreadable_ids: string[];
  errors: number;
  passed: number;
  failed: number;
  stopped_reason: string | null;
};

interface Plan {
  total: number;
  missingIds: string[];
  pages: AsyncIterable<TargetTrace[]>;
}

async function planTargets(ctx: Ctx, agentId: string, target: TargetSet): Promise<Plan> {
  if (target.kind === "ids") {
    const { found, missingIds } = await resolveTraceIds(ctx, target.traceIds);
    const pages = (async function* () {
      for (let i = 0; i < found.length; i += PAGE_TRACES) {
        yield found.slice(i, i + PAGE_TRACES);
      }
    })();
    return { total: found.length, missingIds, pages };
  }
  const total = await countTargetTraces(ctx, agentId, target);
  return { total, missingIds: [], pages: iterateAgentTargets(ctx, agentId, target, PAGE_TRACES) };
}

/** Cuts a page into batches of at most BATCH_TRACES traces and BATCH_BYTES stored bytes. */
function* batchesOf(page: TargetTrace[]): Generator<string[]> {
  let batch: string[] = [];
  let bytes = 0;
  for (const trace of page) {
    if (batch.length > 0 && (batch.length >= BATCH_TRACES || bytes + trace.payloadBytes > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(trace.id);
    bytes += trace.payloadBytes;
  }
  if (batch.length > 0) {
    yield batch;
  }
}

async function codeUnchanged(ctx: Ctx, row: Eval): Promise<boolean> {
  const [found] = await ctx.db
    .select({ id: evals.id })
    .from(evals)
    .where(and(eq(evals.id, row.id), eq(evals.workspaceId, ctx.workspaceId), eq(evals.code, row.code)))
    .limit(1);
  return found !== undefined;
}

function addBatch(result: ExecutionResult, batch: BatchTally): void {
  result.executed += batch.executed;
  result.skipped += batch.skipped;
  result.not_found += batch.vanished;
  result.errors += batch.errors;
  result.passed += batch.passed;
  result.failed += batch.failed;
  result.unreadable_ids.push(...batch.unreadableIds.slice(0, MAX_REPORTED_IDS - result.unreadable_ids.length));
}

/** Keeps the lease while a batch runs long: only writes when a quarter of the lease has passed. */
function leaseKeeper(ctx: Ctx, jobCtx: JobContext, percent: () => number) {
  const clock = ctx.deps.clock;
  let lastAt = clock.now().getTime();
  return async () => {
    if (clock.now().getTime() - lastAt >= ctx.deps.config.jobs.leaseMs / 4) {
      lastAt = clock.now().getTime();
      await jobCtx.progress(percent());
    }
  };
}

/**
 * The execute job: runs an eval over a target set in batches (progress after each, cancellation
 * between them) and stores one current execution per (eval, trace). Eval failures are stored
 * outcomes; only infrastructure failures (database, a missing eval) fail the job.
 */
export async function runEvalExecution(
  jobCtx: JobContext,
  jobId: string,
  request: ExecutionRequest,
): Promise<ExecutionResult> {
  const { ctx } = jobCtx;
  const row = await getEvalOrThrow(ctx, request.evalId);
  const plan = await planTargets(ctx, row.agentId, request.target);
  const result: ExecutionResult = {
    eval_id: row.id,
    target: request.target.kind,
    force: request.force,
    total: plan.total,
    executed: 0,
    skipped: 0,
    not_found: plan.missingIds.length,
    not_found_ids: plan.missingIds.slice(0, MAX_REPORTED_IDS),
    unreadable_ids: [],
    errors: 0,
    passed: 0,
    failed: 0,
    stopped_reason: null,
  };
  let done = 0;
  const percent = () => (plan.total === 0 ? 100 : Math.min(100, (done * 100) / plan.total));
  const options = { force: request.force, heartbeat: leaseKeeper(ctx, jobCtx, percent) };
  for await (const page of plan.pages) {
    for (const ids of batchesOf(page)) {
      await jobCtx.checkCancelled();
      if (!(await codeUnchanged(ctx, row))) {
        result.stopped_reason =
          "The eval's code changed (or the eval was deleted) during the run; results of the old code are not stored.";
        await jobCtx.log("warn", result.stopped_reason, { eval_id: row.id });
        return result;
      }
      const scope: ExecutionScope = { evalId: row.id, code: row.code, jobId, executedAt: nowIso(ctx) };
      addBatch(result, await executeBatch(ctx, scope, ids, options));
      done += ids.length;
      await jobCtx.progress(
        percent(),
        `${done}/${plan.total} traces: ${result.executed} executed, ${result.errors} errors`,
      );
    }
  }
  // Lists read the metrics stored on the eval: refresh them now rather than at the next monitor run.
  await storeEvalMetrics(ctx, row);
  return result;
}

function nowIso(ctx: Ctx): string {
  return ctx.deps.clock.now().toISOString();
}
