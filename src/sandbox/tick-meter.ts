import { timeoutError } from "./call-result";
import type { EvalFailure, SandboxLimits } from "./types";

/**
 * CPU accounting for one input. QuickJS calls the interrupt handler about every 10,000 loop
 * iterations; counting those calls is deterministic and works where the clock stands still
 * during computation (deployed Workers). The wall-clock deadline is a backstop for hosts where
 * it moves.
 */
export class TickMeter {
  ticks = 0;
  private tickLimit = 0;
  private deadline = Number.POSITIVE_INFINITY;
  private stoppedByClock: boolean | undefined;

  constructor(
    private readonly limits: SandboxLimits,
    private readonly now: () => number,
  ) {}

  start(): void {
    this.ticks = 0;
    this.tickLimit = this.limits.maxTicks;
    this.deadline = this.now() + this.limits.maxWallMs;
    this.stoppedByClock = undefined;
  }

  /** Grants a few more ticks, e.g. to read an error after the eval failed. */
  extend(extraTicks: number): void {
    this.tickLimit = this.ticks + extraTicks;
  }

  get interrupted(): boolean {
    return this.stoppedByClock !== undefined;
  }

  timeoutError(): EvalFailure {
    return timeoutError(this.limits, this.stoppedByClock === true);
  }

  /** The QuickJS interrupt handler: true stops execution with an uncatchable error. */
  readonly shouldInterrupt = (): boolean => {
    this.ticks += 1;
    if (this.ticks > this.tickLimit) {
      this.stoppedByClock ??= false;
      return true;
    }
    if (this.now() > this.deadline) {
      this.stoppedByClock ??= true;
      return true;
    }
    return false;
  };
}
