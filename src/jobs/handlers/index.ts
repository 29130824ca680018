import { importHandler } from "../../imports/handler";
import { diagnosticHandler } from "./diagnostic";
import type { JobHandlers } from "./types";

export { DiagnosticPayload, diagnosticHandler } from "./diagnostic";
export * from "./types";

/** Every job type that can run. A feature adds its handler here. */
export const jobHandlers: JobHandlers = {
  diagnostic: diagnosticHandler,
  import: importHandler,
};
