import { z } from "zod";
import { AppError, ExternalServiceError } from "../../errors";
import { defineJobHandler } from "./types";

/** Knobs of the `diagnostic` job, an operator's end-to-end probe of a deployment's job wiring. */
export const DiagnosticPayload = z.object({
  units: z.number().int().min(1).max(1000).default(1),
  unit_delay_ms: z.number().int().min(0).max(10_000).default(0),
  /** Fail with a transient error on the first N attempts, then succeed: exercises retries and backoff. */
  fail_attempts: z.number().int().min(0).max(10).default(0),
  fail_permanently: z.boolean().default(false),
});
export type DiagnosticPayload = z.output<typeof DiagnosticPayload>;

/**
 * Processes `units` units, each with a progress update and a log line, checking cancellation
 * between units. Proves a queue delivers, a runner claims, retries back off and cancel stops.
 */
export const diagnosticHandler = defineJobHandler({
  payload: DiagnosticPayload,
  async run(job, { ctx, progress, checkCancelled }) {
    const p = job.payload;
    if (p.fail_permanently) {
      throw new AppError("VALIDATION_ERROR", "Diagnostic job asked to fail permanently");
    }
    if (job.attempt <= p.fail_attempts) {
      throw new ExternalServiceError("diagnostic", `Simulated transient failure on attempt ${job.attempt}`, {
        status: 503,
      });
    }
    for (let unit = 1; unit <= p.units; unit++) {
      if (unit > 1) {
        await checkCancelled();
      }
      if (p.unit_delay_ms > 0) {
        await ctx.deps.clock.sleep(p.unit_delay_ms);
      }
      await progress((unit * 100) / p.units, `Unit ${unit}/${p.units} done`);
    }
    return { units_done: p.units, attempts: job.attempt };
  },
});
