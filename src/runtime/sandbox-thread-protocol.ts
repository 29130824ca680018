import type { EvalOutcome, SandboxLimits } from "../sandbox";

/** What every sandbox thread gets at start (`workerData`). */
export interface ThreadConfig {
  /**
   * One Int32 the thread bumps whenever its sandbox reads the clock: at each input's start and end
   * and at every QuickJS interrupt tick. The host's watchdog reads it: a counter that stops moving
   * means the eval is inside one builtin call, which no tick budget can see.
   */
  heartbeat: SharedArrayBuffer;
  /** The sandbox sees a clock that never moves, as in deployed Workers: only ticks stop code. */
  frozenClock: boolean;
}

/** Host → thread: one slice of one `runMany` batch. Structured clone, so inputs travel as values. */
export interface ThreadRequest {
  id: number;
  source: string;
  inputs: readonly unknown[];
  limits: Partial<SandboxLimits> | undefined;
}

/**
 * Thread → host. `ready` once the thread has loaded QuickJS and run a warm-up eval; `failed` when
 * `runMany` rejected (the WASM module did not load, or an input is not JSON). `moduleLoads` is the
 * thread's running count of WASM module loads.
 */
export type ThreadReply =
  | { type: "ready"; moduleLoads: number }
  | { type: "done"; id: number; outcomes: EvalOutcome[]; moduleLoads: number }
  | { type: "failed"; id: number; message: string; moduleLoads: number };
