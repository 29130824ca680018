import { availableParallelism } from "node:os";
import { defaultLimits, type EvalOutcome, type Sandbox, type SandboxLimits } from "../sandbox";
import { SandboxThread, type TaskResult, type ThreadSettings, type ThreadTask } from "./sandbox-thread";
import { Batch, capMemory, notRunOutcomes, stoppedOutcomes } from "./sandbox-thread-batch";

export interface ThreadedSandboxOptions {
  /** Worker threads, each with its own QuickJS module. Default min(2, cores). */
  threads?: number;
  /**
   * Longest an eval may run without reaching a QuickJS interrupt check, in ms (default 5,000): that
   * is work inside one builtin call, which the tick budget cannot see. Also the slack added to a
   * slice's wall-clock budget (inputs × `maxWallMs`).
   */
  hardTimeoutMs?: number;
  /**
   * V8 heap cap per thread, in MB (default 256). A thread that exceeds it is replaced. Each eval's
   * `memoryBytes` is capped at a quarter of it: see `capMemory`.
   */
  heapMb?: number;
  /** The threads' sandboxes see a clock that never moves, as deployed Workers do (tests). */
  frozenClock?: boolean;
}

export interface ThreadPoolStats {
  /** Threads not yet exited (starting, idle, busy or being stopped). */
  threads: number;
  busy: number;
  /** Slices waiting for a thread. */
  queued: number;
  threadsStarted: number;
  /** WASM module loads reported by all threads, past and present. */
  moduleLoads: number;
}

export interface ThreadedSandbox extends Sandbox {
  /**
   * Resolves once every thread is up (QuickJS loaded, warm-up eval run), including the replacement
   * of a stopped thread; rejects when a thread fails to start or the sandbox is closed.
   */
  ready(): Promise<void>;
  /** Rejects queued and running evals and terminates every thread; later calls reject. */
  close(): Promise<void>;
  stats(): ThreadPoolStats;
}

/**
 * Inputs per request to a thread. Batches are cut into slices so that a hard stop loses at most one
 * slice's finished outcomes and a big batch can use every thread; the cost is one compile per slice
 * (about 1 ms against ~50 ms of typical inputs). An eval's globals persist within a slice only.
 */
const sliceInputs = 128;

interface Slice {
  batch: Batch;
  index: number;
  task: ThreadTask;
}

/**
 * The sandbox contract (src/sandbox) run by a pool of worker threads, for Node, where a runaway
 * builtin call would otherwise block the event loop. Outcomes are those of `createSandbox`, plus
 * host stops: `timeout` (the watchdog terminated the thread), `memory` (the thread ran out of heap)
 * or `crashed` (it died otherwise). After a stop, the rest of that batch is answered with the same
 * kind without running, and the thread is replaced. Work is queued FIFO while all threads are busy.
 * The watchdog reads a heartbeat the thread's sandbox bumps at every input boundary and interrupt
 * tick, so ordinary evals, however long the batch, are never stopped by it. Threads load their
 * TypeScript entry through tsx (a runtime dependency, as for `npm start`); idle threads do not keep
 * the process alive, and `close()` ends them.
 *
 * @throws RangeError for a non-positive or non-integer `threads`, or a non-positive `hardTimeoutMs`/`heapMb`.
 */
export function createThreadedSandbox(options: ThreadedSandboxOptions = {}): ThreadedSandbox {
  const threads = options.threads ?? Math.max(1, Math.min(2, availableParallelism()));
  const settings: ThreadSettings = {
    hardTimeoutMs: options.hardTimeoutMs ?? 5_000,
    heapMb: options.heapMb ?? 256,
    frozenClock: options.frozenClock ?? false,
  };
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  }
  if (!(settings.hardTimeoutMs > 0 && settings.heapMb > 0)) {
    throw new RangeError("hardTimeoutMs and heapMb must be positive");
  }
  return new ThreadPool(settings, threads);
}

class ThreadPool implements ThreadedSandbox {
  private readonly slots: (SandboxThread | undefined)[];
  private queue: Slice[] = [];
  private closed = false;
  private threadsStarted = 0;
  private retiredModuleLoads = 0;
  private readyWaiters: { resolve: () => void; reject: (error: Error) => void }[] = [];

  constructor(
    private readonly settings: ThreadSettings,
    threadCount: number,
  ) {
    this.slots = Array.from({ length: threadCount }, () => undefined);
    this.fillSlots();
  }

  async run(source: string, input: unknown, limits?: Partial<SandboxLimits>): Promise<EvalOutcome> {
    const [outcome] = await this.runMany(source, [input], limits);
    if (!outcome) {
      throw new Error("sandbox produced no outcome");
    }
    return outcome;
  }

  runMany(source: string, inputs: readonly unknown[], limits?: Partial<SandboxLimits>): Promise<EvalOutcome[]> {
    if (this.closed) {
      return Promise.reject(new Error("the sandbox is closed"));
    }
    if (inputs.length === 0) {
      return Promise.resolve([]);
    }
    const perInputMs = limits?.maxWallMs ?? defaultLimits.maxWallMs;
    const capped = capMemory(limits, this.settings.heapMb);
    return new Promise((resolve, reject) => {
      const count = Math.ceil(inputs.length / sliceInputs);
      const batch = new Batch(count, resolve, reject);
      for (let index = 0; index < count; index++) {
        const part = inputs.slice(index * sliceInputs, (index + 1) * sliceInputs);
        const budgetMs = this.settings.hardTimeoutMs + part.length * perInputMs;
        this.queue.push({ batch, index, task: { source, inputs: part, limits: capped, budgetMs } });
      }
      this.fillSlots();
      this.dispatch();
    });
  }

  ready(): Promise<void> {
    if (this.closed) {
      return Promise.reject(new Error("the sandbox is closed"));
    }
    this.fillSlots();
    return new Promise((resolve, reject) => {
      this.readyWaiters.push({ resolve, reject });
      this.checkReady();
    });
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    for (const slice of this.queue.splice(0)) {
      slice.batch.fail(new Error("the sandbox is closed"));
    }
    this.rejectWaiters(new Error("the sandbox is closed"));
    await Promise.all(this.slots.map((thread) => thread?.terminate()));
  }

  stats(): ThreadPoolStats {
    const live = this.slots.filter((t): t is SandboxThread => t !== undefined);
    return {
      threads: live.length,
      busy: live.filter((t) => t.isBusy).length,
      queued: this.queue.length,
      threadsStarted: this.threadsStarted,
      moduleLoads: this.slots.reduce((n, t) => n + (t?.moduleLoads ?? 0), this.retiredModuleLoads),
    };
  }

  private fillSlots(): void {
    for (let i = 0; i < this.slots.length; i++) {
      if (!this.slots[i] && !this.closed) {
        this.slots[i] = new SandboxThread(this.settings, {
          idle: () => {
            this.dispatch();
            this.checkReady();
          },
          exited: (thread, startError) => this.onExited(thread, startError),
        });
        this.threadsStarted += 1;
      }
    }
  }

  /** Lowest-numbered idle thread first, so sequential callers keep to one thread (and its module). */
  private dispatch(): void {
    for (const thread of this.slots) {
      if (!thread?.isIdle) {
        continue;
      }
      const slice = this.queue.shift();
      if (!slice) {
        return;
      }
      thread.run(slice.task, (result) => this.settle(slice, result));
    }
  }

  private checkReady(): void {
    if (this.slots.every((t) => t?.isUp)) {
      for (const waiter of this.readyWaiters.splice(0)) {
        waiter.resolve();
      }
    }
  }

  private rejectWaiters(error: Error): void {
    for (const waiter of this.readyWaiters.splice(0)) {
      waiter.reject(error);
    }
  }

  private settle(slice: Slice, result: TaskResult): void {
    if (result.type === "done") {
      slice.batch.answer(slice.index, result.outcomes);
    } else if (result.type === "rejected") {
      this.dropQueued(slice.batch);
      slice.batch.fail(result.error);
    } else if (this.closed) {
      slice.batch.fail(new Error("the sandbox was closed while the eval ran"));
    } else {
      slice.batch.answer(slice.index, stoppedOutcomes(slice.task.inputs.length, result.failure, result.elapsedMs));
      for (const rest of this.dropQueued(slice.batch)) {
        rest.batch.answer(rest.index, notRunOutcomes(rest.task.inputs.length, result.failure));
      }
    }
    this.dispatch();
  }

  private dropQueued(batch: Batch): Slice[] {
    const dropped = this.queue.filter((s) => s.batch === batch);
    this.queue = this.queue.filter((s) => s.batch !== batch);
    return dropped;
  }

  private onExited(thread: SandboxThread, startError: Error | undefined): void {
    const slot = this.slots.indexOf(thread);
    if (slot >= 0) {
      this.slots[slot] = undefined;
    }
    this.retiredModuleLoads += thread.moduleLoads;
    if (this.closed) {
      return;
    }
    if (!startError) {
      this.fillSlots(); // a replacement for a stopped or dead thread
      return;
    }
    // No retry loop: a thread that cannot start fails the queued work, and the next call tries again.
    const error = new Error(`a sandbox thread failed to start: ${startError.message}`);
    this.rejectWaiters(error);
    if (this.slots.every((t) => t === undefined)) {
      for (const queued of this.queue.splice(0)) {
        queued.batch.fail(error);
      }
    }
  }
}
