import { executeEvalHandler } from "./evals/execute-job";
import { importHandler } from "./imports/handler";
import { diagnosticHandler } from "./jobs/handlers/diagnostic";
import type { JobHandlers } from "./jobs/handlers/types";
import { monitorHandler } from "./monitoring/monitor-job";

/**
 * Every job type that can run; a feature adds its handler here. This is a composition root like
 * src/app.ts: features import the jobs area (createJob), so the jobs area must not import features.
 */
export const jobHandlers: JobHandlers = {
  diagnostic: diagnosticHandler,
  execute: executeEvalHandler,
  import: importHandler,
  monitor: monitorHandler,
};
