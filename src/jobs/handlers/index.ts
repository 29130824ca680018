import { executeEvalHandler } from "../../evals/execute-job";
import { importHandler } from "../../imports/handler";
import { diagnosticHandler } from "./diagnostic";
import { monitorHandler } from "./monitor";
import type { JobHandlers } from "./types";

export { DiagnosticPayload, diagnosticHandler } from "./diagnostic";
export { MonitorPayload, monitorHandler } from "./monitor";
export * from "./types";

/** Every job type that can run. A feature adds its handler here. */
export const jobHandlers: JobHandlers = {
  diagnostic: diagnosticHandler,
  execute: executeEvalHandler,
  monitor: monitorHandler,
  import: importHandler,
};
