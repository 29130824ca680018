import { afterAll } from "vitest";
import { createThreadedSandbox, type ThreadedSandbox } from "../../src/runtime/sandbox-threads";
import { hostileSandboxSuite } from "../suites/sandbox";

// The shared hostile suite, through worker threads: the same outcomes as the in-process sandbox.
let pool: ThreadedSandbox | undefined;

hostileSandboxSuite(() => {
  const sandbox = createThreadedSandbox({
    threads: 2,
    // The generous hard timeout never fires here: every case in the suite reaches interrupt checks.
    hardTimeoutMs: 10_000,
    // A clock that never moves inside the threads, as in the in-process suite: only ticks stop code,
    // so the outcomes do not depend on the machine's load.
    frozenClock: true,
  });
  pool = sandbox;
  return { sandbox, moduleLoads: () => sandbox.stats().moduleLoads };
});

afterAll(() => pool?.close());
