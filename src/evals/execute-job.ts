import { z } from "zod";
import { defineJobHandler } from "../jobs/handlers/types";
import { runEvalExecution } from "./run-execution";
import { executionTargets, type TargetSet } from "./targets";

/** The most trace ids one execute request (or job) may name. */
export const MAX_EXECUTE_TRACE_IDS = 10_000;

/** An `execute` job's metadata: explicit trace ids, else a target set of the eval's agent. */
export const ExecuteEvalPayload = z
  .object({
    eval_id: z.string().min(1).max(100),
    trace_ids: z.array(z.string().min(1).max(100)).max(MAX_EXECUTE_TRACE_IDS).optional(),
    target: z.enum(executionTargets).default("labeled"),
    /** ISO-8601 UTC; with target "since". */
    since: z.string().max(64).optional(),
    force: z.boolean().default(false),
  })
  .refine((p) => p.target !== "since" || p.since !== undefined || p.trace_ids !== undefined, {
    message: 'target "since" needs `since`',
    path: ["since"],
  });
export type ExecuteEvalPayload = z.output<typeof ExecuteEvalPayload>;

export function toTargetSet(payload: ExecuteEvalPayload): TargetSet {
  if (payload.trace_ids !== undefined) {
    return { kind: "ids", traceIds: payload.trace_ids };
  }
  if (payload.target === "since") {
    return { kind: "since", since: payload.since ?? "" };
  }
  return { kind: payload.target };
}

/** Runs an eval over traces: registered as the `execute` job type (src/jobs/handlers/index.ts). */
export const executeEvalHandler = defineJobHandler({
  payload: ExecuteEvalPayload,
  run: (job, jobCtx) =>
    runEvalExecution(jobCtx, job.id, {
      evalId: job.payload.eval_id,
      target: toTargetSet(job.payload),
      force: job.payload.force,
    }),
});
