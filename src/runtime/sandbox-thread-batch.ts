// How a `runMany` batch is cut into slices for the threads, and the outcomes of host stops.
import { defaultLimits, type EvalFailure, type EvalOutcome, type SandboxLimits } from "../sandbox";

/** Collects one batch's slices in order; settles once. */
export class Batch {
  settled = false;
  private readonly results: EvalOutcome[][] = [];
  private pending: number;

  constructor(
    sliceCount: number,
    private readonly resolve: (outcomes: EvalOutcome[]) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.pending = sliceCount;
  }

  answer(index: number, outcomes: EvalOutcome[]): void {
    if (this.settled) {
      return;
    }
    this.results[index] = outcomes;
    this.pending -= 1;
    if (this.pending === 0) {
      this.settled = true;
      this.resolve(this.results.flat());
    }
  }

  fail(error: Error): void {
    if (!this.settled) {
      this.settled = true;
      this.reject(error);
    }
  }
}

/**
 * Anything the VM hands back (a reason, a console line, an error message) can be as large as its
 * memory, and the thread reads it into one V8 string (and JSON.parse copies it). V8 aborts the whole
 * process, not just the thread, when one allocation overshoots a worker's heap cap
 * (nodejs/node#47224), so the VM's memory stays well below the heap.
 */
export function capMemory(limits: Partial<SandboxLimits> | undefined, heapMb: number): Partial<SandboxLimits> {
  const maxBytes = (heapMb * 1024 * 1024) / 4;
  const memoryBytes = Math.min(limits?.memoryBytes ?? defaultLimits.memoryBytes, maxBytes);
  return { ...limits, memoryBytes };
}

/** The slice under a host stop: which of its inputs had finished is unknown, so all share the stop. */
export function stoppedOutcomes(count: number, failure: EvalFailure, elapsedMs: number): EvalOutcome[] {
  return Array.from({ length: count }, (_, i) => ({
    ok: false as const,
    error: { ...failure },
    console: "",
    durationMs: i === 0 ? elapsedMs : 0,
  }));
}

export function notRunOutcomes(count: number, failure: EvalFailure): EvalOutcome[] {
  const message = `not run: an earlier input of this batch was stopped (${failure.message})`;
  return Array.from({ length: count }, () => ({
    ok: false as const,
    error: { kind: failure.kind, message },
    console: "",
    durationMs: 0,
  }));
}
