import type { Ctx } from "../context";
import { validationError } from "../errors";
import type { TraceView } from "../traces/model";

// An empty but well-formed view: running the probe must not depend on any stored trace.
const PROBE_VIEW: TraceView = {
  id: "trace_probe",
  source: "api",
  name: null,
  started_at: null,
  input: null,
  output: null,
  messages: [],
  tool_calls: [],
  errors: [],
  spans: [],
  duration_ms: null,
  tokens: { prompt: 0, completion: 0, total: 0 },
  metadata: {},
  tags: [],
  user_id: null,
  session_id: null,
  model: null,
};

// Compiling needs no CPU to speak of; a small budget keeps a slow `evaluate` from holding the request.
const PROBE_TICKS = 50;

/**
 * Compiles `code` once in the sandbox (by running it on an empty view) and refuses it with 400
 * VALIDATION_ERROR when it does not compile or defines no `evaluate`. Anything else the probe hits
 * (a throw on the empty view, a timeout) is the eval's business at execution time.
 */
export async function assertEvalCompiles(ctx: Ctx, code: string): Promise<void> {
  const outcome = await ctx.deps.sandbox.run(code, PROBE_VIEW, { maxTicks: PROBE_TICKS });
  if (!outcome.ok && outcome.error.kind === "syntax") {
    throw validationError(`Eval code does not compile: ${outcome.error.message}`, [
      { path: "code", message: outcome.error.message },
    ]);
  }
}
