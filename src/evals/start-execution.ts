import type { Ctx } from "../context";
import { createJob, type Job } from "../jobs";
import { type ExecuteEvalPayload, toTargetSet } from "./execute-job";
import { getEvalOrThrow } from "./internal";
import { countTargetTraces, type ExecutionTarget } from "./targets";

export interface ExecuteEvalInput {
  /** Explicit traces; other workspaces' ids are skipped and reported by the job. */
  traceIds?: string[] | undefined;
  /** Used when no ids are given (default "labeled"). */
  target?: ExecutionTarget | undefined;
  /** ISO-8601 UTC, for target "since". */
  since?: string | undefined;
  /** Re-run traces that already have a current execution. */
  force?: boolean | undefined;
}

export interface StartedExecution {
  job: Job;
  /** Traces in the target set now (explicit ids: the distinct ids given), before skipping executed ones. */
  estimatedCount: number;
}

function payloadOf(evalId: string, input: ExecuteEvalInput): ExecuteEvalPayload {
  const force = input.force ?? false;
  if (input.traceIds !== undefined) {
    return { eval_id: evalId, trace_ids: input.traceIds, target: "labeled", force };
  }
  return { eval_id: evalId, target: input.target ?? "labeled", since: input.since, force };
}

/**
 * Starts an `execute` job for an eval of the workspace.
 * @throws NOT_FOUND for an eval outside the workspace.
 */
export async function executeEval(ctx: Ctx, evalId: string, input: ExecuteEvalInput): Promise<StartedExecution> {
  const row = await getEvalOrThrow(ctx, evalId);
  const payload = payloadOf(row.id, input);
  const estimatedCount = await countTargetTraces(ctx, row.agentId, toTargetSet(payload));
  const job = await createJob(ctx, {
    type: "execute",
    payload,
    agentId: row.agentId,
    triggerEvent: "manual",
  });
  return { job, estimatedCount };
}
