import type { Worker } from "node:worker_threads";
import type { EvalFailure, EvalOutcome, SandboxLimits } from "../sandbox";
import type { ThreadConfig, ThreadReply, ThreadRequest } from "./sandbox-thread-protocol";
import { startTsWorker } from "./ts-worker";

export interface ThreadSettings {
  /** Longest stretch a request may go without a heartbeat (no input boundary, no interrupt tick). */
  hardTimeoutMs: number;
  /** V8 heap cap of the thread (`resourceLimits.maxOldGenerationSizeMb`). */
  heapMb: number;
  frozenClock: boolean;
}

export interface ThreadTask {
  source: string;
  inputs: readonly unknown[];
  limits: Partial<SandboxLimits> | undefined;
  /** Wall-clock cap on the whole request, however steady its heartbeat. */
  budgetMs: number;
}

/**
 * How a task ended: the thread's outcomes; `rejected` when the sandbox rejected the request (same
 * contract as `Sandbox.runMany`); `stopped` when the host stopped the thread or it died under the task.
 */
export type TaskResult =
  | { type: "done"; outcomes: EvalOutcome[] }
  | { type: "rejected"; error: Error }
  | { type: "stopped"; failure: EvalFailure; elapsedMs: number };

export interface ThreadListener {
  /** The thread finished its warm-up or a task and takes work. */
  idle(thread: SandboxThread): void;
  /** `startError` is set when the thread died before it was ready (it never took work). */
  exited(thread: SandboxThread, startError: Error | undefined): void;
}

type Running = {
  id: number;
  startedAt: number;
  done: (result: TaskResult) => void;
  timer: NodeJS.Timeout | undefined;
};

/** Young-generation cap: big enough for structured-clone bursts of a slice of trace views. */
const youngGenerationMb = 32;
/**
 * The main thread's V8 stack (~1 MB), not the 4 MB workers get by default: the sandbox's stack
 * limits are calibrated for it. With 4 MB, 200,000-deep JSON nesting is caught by QuickJS itself
 * but then spends ~2 s unwinding without an interrupt check; with 1 MB V8's stack overflow ends it
 * at once and the sandbox reloads its module (~30 ms).
 */
const stackSizeMb = 1;

/**
 * One worker thread owning one QuickJS sandbox, and the host-side watchdog for the task it runs.
 * QuickJS only checks its budget on loop back-edges, so one builtin call (a giant `join`, `repeat`,
 * typed-array `sort`) can run for seconds, and a loop of them for minutes; here that blocks only this thread, and the watchdog
 * ends it with `worker.terminate()`, which stops V8 even inside WASM or a builtin.
 */
export class SandboxThread {
  moduleLoads = 0;
  private state: "starting" | "idle" | "busy" | "exiting" = "starting";
  private readonly worker: Worker;
  private readonly beats: Int32Array;
  private running: Running | undefined;
  private deathError: Error | undefined;
  private nextId = 1;

  constructor(
    private readonly settings: ThreadSettings,
    private readonly listener: ThreadListener,
  ) {
    const heartbeat = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    this.beats = new Int32Array(heartbeat);
    this.worker = startWorker({ heartbeat, frozenClock: settings.frozenClock }, settings.heapMb);
    this.worker.on("message", (reply: ThreadReply) => this.onReply(reply));
    this.worker.on("error", (err) => {
      this.deathError = err;
    });
    this.worker.on("exit", () => this.onExit());
  }

  get isIdle(): boolean {
    return this.state === "idle";
  }

  /** Took its warm-up and is not being stopped: idle or busy. */
  get isUp(): boolean {
    return this.state === "idle" || this.state === "busy";
  }

  get isBusy(): boolean {
    return this.state === "busy";
  }

  /** Runs one task; `done` is called exactly once, never synchronously. Only call when idle. */
  run(task: ThreadTask, done: (result: TaskResult) => void): void {
    const request: ThreadRequest = { id: this.nextId++, source: task.source, inputs: task.inputs, limits: task.limits };
    try {
      this.worker.postMessage(request);
    } catch (err) {
      // A value structured clone refuses (a function, a symbol) is the caller's bug, as non-JSON is.
      const error = err instanceof Error ? err : new Error(String(err));
      queueMicrotask(() => done({ type: "rejected", error }));
      return;
    }
    this.state = "busy";
    this.worker.ref();
    this.running = { id: request.id, startedAt: performance.now(), done, timer: undefined };
    this.watch(this.running, task.budgetMs);
  }

  /** Ends the thread; a running task is answered as `stopped` (the pool rejects it when closing). */
  async terminate(): Promise<void> {
    this.state = "exiting";
    await this.worker.terminate();
  }

  /**
   * Polls the heartbeat a few times per `hardTimeoutMs`. The stop comes between one and 1.25
   * `hardTimeoutMs` after the last beat, or once the task outlives its whole budget.
   */
  private watch(running: Running, budgetMs: number): void {
    const { hardTimeoutMs } = this.settings;
    const everyMs = Math.max(10, hardTimeoutMs / 4);
    let lastBeat = Atomics.load(this.beats, 0);
    let lastBeatAt = running.startedAt;
    const check = () => {
      const now = performance.now();
      const beat = Atomics.load(this.beats, 0);
      if (beat !== lastBeat) {
        lastBeat = beat;
        lastBeatAt = now;
      }
      const elapsedMs = now - running.startedAt;
      if (now - lastBeatAt >= hardTimeoutMs) {
        this.stop(elapsedMs, `without reaching an interrupt check for ${hardTimeoutMs} ms`);
      } else if (elapsedMs >= budgetMs) {
        this.stop(elapsedMs, `past its wall-clock budget of ${Math.round(budgetMs)} ms`);
      } else {
        running.timer = setTimeout(check, everyMs);
      }
    };
    running.timer = setTimeout(check, everyMs);
  }

  private stop(elapsedMs: number, why: string): void {
    const ms = Math.round(elapsedMs);
    this.state = "exiting";
    this.finish({
      type: "stopped",
      failure: { kind: "timeout", message: `timed out: the eval was stopped by the host after ${ms} ms, ${why}` },
      elapsedMs,
    });
    this.worker.terminate().catch(() => undefined);
  }

  private finish(result: TaskResult): void {
    const running = this.running;
    if (!running) {
      return;
    }
    this.running = undefined;
    clearTimeout(running.timer);
    // An idle thread must not keep the process alive; a busy one must, or an awaited eval is lost.
    this.worker.unref();
    running.done(result);
  }

  private onReply(reply: ThreadReply): void {
    this.moduleLoads = reply.moduleLoads;
    if (reply.type === "ready") {
      if (this.state !== "starting") {
        return; // terminated while it was starting
      }
      this.state = "idle";
      this.worker.unref();
      this.listener.idle(this);
      return;
    }
    if (this.state !== "busy" || reply.id !== this.running?.id) {
      return; // a reply racing a stop: the task was already answered
    }
    this.state = "idle";
    this.finish(
      reply.type === "done"
        ? { type: "done", outcomes: reply.outcomes }
        : { type: "rejected", error: new Error(reply.message) },
    );
    this.listener.idle(this);
  }

  private onExit(): void {
    const neverStarted = this.state === "starting";
    const elapsedMs = this.running ? performance.now() - this.running.startedAt : 0;
    this.state = "exiting";
    this.finish({ type: "stopped", failure: this.deathFailure(), elapsedMs });
    this.listener.exited(this, neverStarted ? (this.deathError ?? new Error("the thread exited")) : undefined);
  }

  private deathFailure(): EvalFailure {
    const err = this.deathError;
    if (err && "code" in err && err.code === "ERR_WORKER_OUT_OF_MEMORY") {
      return {
        kind: "memory",
        message: `out of memory: the sandbox thread exceeded its ${this.settings.heapMb} MB heap and was replaced`,
      };
    }
    const detail = err ? `: ${err.message}` : "";
    return { kind: "crashed", message: `the sandbox thread died and was replaced${detail}` };
  }
}

function startWorker(config: ThreadConfig, heapMb: number): Worker {
  return startTsWorker(new URL("./sandbox-thread-worker.ts", import.meta.url), {
    workerData: config,
    resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: youngGenerationMb, stackSizeMb },
  });
}
