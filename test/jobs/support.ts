import { setImmediate as nextTurn } from "node:timers/promises";
import { onTestFinished } from "vitest";
import type { Clock } from "../../src/clock";
import { jobHandlers } from "../../src/job-handlers";
import { JobRunner, type JobRunnerOptions, LocalJobQueue } from "../../src/jobs";
import { makeTestApp, type RequestOptions } from "../helpers/app";
import type { FakeClock } from "../helpers/clock";
import type { JobsEnv } from "../suites/jobs";

/**
 * The fake clock, except that `sleep` also yields one event-loop turn. libsql settles every query
 * as a microtask, so without it an idle runner loop would never let anything else run.
 */
export function yieldingClock(clock: FakeClock): FakeClock & Clock {
  return {
    ...clock,
    sleep: async (ms) => {
      clock.advance(ms);
      await nextTurn();
    },
  };
}

/** The test app whose jobs queue wakes a real runner; the runner stops when the test ends. */
export async function makeJobsApp(options: Partial<JobRunnerOptions> = {}) {
  const queue = new LocalJobQueue();
  const app = await makeTestApp({ jobQueue: queue });
  app.deps.clock = yieldingClock(app.clock);
  const runner = new JobRunner(app.deps, {
    handlers: jobHandlers,
    sweep: false,
    yieldToEventLoop: nextTurn,
    ...options,
  });
  queue.attach(runner);
  runner.start();
  onTestFinished(async () => {
    await runner.stop(0);
  });
  return { ...app, clock: app.deps.clock as FakeClock, runner };
}

/** The Node side of the shared suite. */
export async function makeNodeJobsEnv(): Promise<JobsEnv> {
  const { request, db } = await makeJobsApp();
  return {
    request: async (path, init) => request(path, init as RequestOptions),
    db,
    pause: () => nextTurn(),
    maxPolls: 100_000,
  };
}
