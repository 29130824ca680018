import type { Deps } from "../context";
import type { Job } from "../db/schema";
import { yieldToEventLoop } from "../event-loop";
import { executeJob, type JobOutcome } from "./execute";
import type { JobHandlers } from "./handlers/types";
import { JobLeases } from "./job-leases";
import { newLeaseOwner } from "./lease-owner";
import type { JobQueue } from "./queue";
import { sweepJobs } from "./sweeper";

export interface JobRunnerOptions {
  handlers: JobHandlers;
  /** Defaults come from `deps.config.jobs`. */
  concurrency?: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  sweepIntervalMs?: number;
  /** Run the lease sweeper on a timer (default true); tests call `sweepJobs` themselves. */
  sweep?: boolean;
  owner?: string;
  /**
   * Lets timers and I/O run between claims. libsql settles every query as a microtask, so a busy
   * runner would otherwise starve the HTTP server. Default: src/event-loop.ts; tests pass their own.
   */
  yieldToEventLoop?: () => Promise<void>;
  onSettled?: (job: Job, outcome: JobOutcome) => void;
}

/**
 * The Node host's runner: polls the jobs table, runs up to `concurrency` jobs at once, claims again
 * at once while work is found, sleeps `pollIntervalMs` when idle unless woken by an enqueue.
 */
export class JobRunner {
  readonly owner: string;
  private readonly leases: JobLeases;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopSignal = new AbortController();
  private readonly stopped = new Promise<void>((resolve) =>
    this.stopSignal.signal.addEventListener("abort", () => resolve(), { once: true }),
  );
  private loops: Promise<void>[] = [];
  private woken = false;
  private wakeIdle: (() => void) | undefined;

  constructor(
    private readonly deps: Deps,
    private readonly options: JobRunnerOptions,
  ) {
    this.owner = options.owner ?? newLeaseOwner("node");
    this.leases = new JobLeases(deps.db, deps.clock);
  }

  private get settings() {
    const jobs = this.deps.config.jobs;
    return {
      concurrency: this.options.concurrency ?? jobs.concurrency,
      pollIntervalMs: this.options.pollIntervalMs ?? jobs.pollIntervalMs,
      leaseMs: this.options.leaseMs ?? jobs.leaseMs,
      sweepIntervalMs: this.options.sweepIntervalMs ?? jobs.sweepIntervalMs,
    };
  }

  get runningCount(): number {
    return this.inFlight.size;
  }

  start(): void {
    if (this.loops.length > 0 || this.stopSignal.signal.aborted) {
      return;
    }
    this.loops = [this.pollLoop()];
    if (this.options.sweep !== false) {
      this.loops.push(this.sweepLoop());
    }
  }

  /** A job was enqueued: claim now instead of at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeIdle?.();
  }

  /**
   * Stops claiming, waits up to `graceMs` for running jobs, then hands what is still running
   * back to `queued` (its attempt not counted). Returns the ids released.
   */
  async stop(graceMs: number): Promise<string[]> {
    this.stopSignal.abort();
    this.wakeIdle?.();
    await Promise.all(this.loops);
    const grace = new AbortController();
    await Promise.race([Promise.allSettled([...this.inFlight]), this.deps.clock.sleep(graceMs, grace.signal)]);
    grace.abort();
    const released = await this.leases.release(this.owner);
    if (released.length > 0) {
      this.deps.logger.warn("job.released", { owner: this.owner, job_ids: released });
    }
    return released;
  }

  private get stopping(): boolean {
    return this.stopSignal.signal.aborted;
  }

  private async pollLoop(): Promise<void> {
    const { concurrency, leaseMs } = this.settings;
    const nextTurn = this.options.yieldToEventLoop ?? yieldToEventLoop;
    while (!this.stopping) {
      const free = concurrency - this.inFlight.size;
      if (free <= 0) {
        await Promise.race([...this.inFlight, this.stopped]);
        continue;
      }
      this.woken = false;
      const claimed = await this.leases.claimNext(this.owner, leaseMs, free).catch((err: unknown) => {
        this.deps.logger.error("job.claim_failed", { error: err instanceof Error ? err.message : String(err) });
        return [];
      });
      for (const job of claimed) {
        this.launch(job);
      }
      await (claimed.length > 0 ? nextTurn() : this.idle());
    }
  }

  /** Resolves after the poll interval, on `wake()`, or on stop. */
  private idle(): Promise<void> {
    if (this.woken || this.stopping) {
      return Promise.resolve();
    }
    const done = new AbortController();
    this.wakeIdle = () => done.abort();
    const signal = AbortSignal.any([done.signal, this.stopSignal.signal]);
    return this.deps.clock.sleep(this.settings.pollIntervalMs, signal).finally(() => done.abort());
  }

  private launch(job: Job): void {
    const { handlers, onSettled } = this.options;
    const run: Promise<void> = executeJob(
      { deps: this.deps, handlers, owner: this.owner, leases: this.leases, ...this.settings },
      job,
    )
      .then(
        (outcome) => onSettled?.(job, outcome),
        (err: unknown) =>
          this.deps.logger.error("job.settle_failed", {
            job_id: job.id,
            error: err instanceof Error ? err.message : String(err),
          }),
      )
      .finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
  }

  private async sweepLoop(): Promise<void> {
    while (!this.stopping) {
      await sweepJobs(this.deps).catch((err: unknown) => {
        this.deps.logger.error("job.sweep_failed", { error: err instanceof Error ? err.message : String(err) });
      });
      await this.deps.clock.sleep(this.settings.sweepIntervalMs, this.stopSignal.signal);
    }
  }
}

/** The Node host's JobQueue: the table is the queue, so enqueueing only wakes the runner. */
export class LocalJobQueue implements JobQueue {
  private runner: JobRunner | undefined;

  attach(runner: JobRunner): void {
    this.runner = runner;
  }

  async enqueue(): Promise<void> {
    this.runner?.wake();
  }
}
