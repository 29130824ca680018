/** Why one eval execution failed. Every kind is an expected outcome, returned as a value. */
export const evalErrorKinds = [
  "timeout",
  "memory",
  "stack",
  "syntax",
  "runtime",
  "invalid_result",
  "output_too_large",
  "crashed",
] as const;
export type EvalErrorKind = (typeof evalErrorKinds)[number];

export interface EvalFailure {
  kind: EvalErrorKind;
  message: string;
}

export type EvalOutcome =
  | {
      ok: true;
      pass: boolean;
      /** In [0, 1]; null when the eval returned no score (or a bare boolean). */
      score: number | null;
      /** "" when the eval gave none; capped at `reasonChars`. */
      reason: string;
      /** Captured console lines joined by "\n", capped at `consoleChars` and marked when truncated. */
      console: string;
      durationMs: number;
      /** Interrupt-handler calls this input used: the deterministic CPU measure. */
      ticks: number;
    }
  | { ok: false; error: EvalFailure; console: string; durationMs: number };

export interface SandboxLimits {
  /**
   * CPU budget per input, in interrupt-handler calls (QuickJS calls the handler about every 10,000
   * bytecode steps). The primary limit because deployed Workers do not advance the clock during
   * synchronous computation.
   */
  maxTicks: number;
  /** Wall-clock backstop per input, for hosts where the clock moves (Node, local workerd). */
  maxWallMs: number;
  /**
   * Cap on the WASM module's linear memory, i.e. the host memory sandboxed code can take, and
   * QuickJS's own allocation limit. The module starts at 16 MiB, so smaller values act as 16 MiB.
   */
  memoryBytes: number;
  stackBytes: number;
  /** Console capture per input, in UTF-16 code units. */
  consoleChars: number;
  /** A longer reason is truncated and marked. */
  reasonChars: number;
  /** A reason longer than this fails the input with `output_too_large` instead of being truncated. */
  outputChars: number;
}

/**
 * Calibrated on this project's machine (bench/eval-throughput.ts, src/sandbox/README.md): 400 ticks
 * stop a property-walking loop after ~150 ms; the same budget is ~30 ms of an empty loop and ~400 ms
 * of string building, because ticks count loop iterations, not work.
 */
export const defaultLimits: SandboxLimits = {
  maxTicks: 400,
  maxWallMs: 1_000,
  memoryBytes: 32 * 1024 * 1024,
  // 512 KiB of QuickJS stack outruns V8's native stack on Node before QuickJS notices; 256 KiB
  // lets QuickJS raise a catchable "stack overflow" first for ordinary recursion.
  stackBytes: 256 * 1024,
  consoleChars: 16 * 1024,
  reasonChars: 2_000,
  outputChars: 64 * 1024,
};

export function resolveLimits(overrides: Partial<SandboxLimits> | undefined): SandboxLimits {
  return { ...defaultLimits, ...overrides };
}
