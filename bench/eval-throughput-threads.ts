/**
 * Eval throughput of the worker-thread sandbox (src/runtime/sandbox-threads.ts) next to the
 * in-process one, and how long the host's event loop is held while a batch runs.
 * Prints one JSON object. Run: `npx tsx bench/eval-throughput-threads.ts [traceCount]`.
 */
import { createThreadedSandbox } from "../src/runtime/sandbox-threads";
import { createSandbox, type Sandbox } from "../src/sandbox";
import { loadQuickJsModuleForNode } from "../src/sandbox/load-module-node";
import { makeTraceView, typicalEvalSource } from "../test/sandbox/trace-fixture";
import { report, round } from "./lib/measure";

const TARGET_EVALS_PER_SEC = 2_000;
const traceCount = Number(process.argv[2] ?? 2_000);
const views = Array.from({ length: traceCount }, (_, i) => makeTraceView(i));

function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

/** One `runMany` over every view; also the longest gap between ticks of a 5 ms interval meanwhile. */
async function timeBatch(sandbox: Sandbox): Promise<{ perSec: number; failures: number; maxLagMs: number }> {
  let lastTickAt = performance.now();
  let maxGapMs = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - lastTickAt);
    lastTickAt = now;
  }, 5);
  const started = performance.now();
  const outcomes = await sandbox.runMany(typicalEvalSource, views);
  const ms = performance.now() - started;
  clearInterval(probe);
  maxGapMs = Math.max(maxGapMs, performance.now() - lastTickAt);
  return {
    perSec: perSecond(traceCount, ms),
    failures: outcomes.filter((o) => !o.ok).length,
    maxLagMs: round(maxGapMs - 5, 1),
  };
}

async function timeSingles(sandbox: Sandbox, count: number): Promise<number> {
  const started = performance.now();
  for (const view of views.slice(0, count)) {
    await sandbox.run(typicalEvalSource, view);
  }
  return perSecond(count, performance.now() - started);
}

async function main(): Promise<void> {
  const threaded = createThreadedSandbox();
  const inProcess = createSandbox({ loadModule: loadQuickJsModuleForNode });
  try {
    await threaded.ready();
    // Warm both (module load, V8 optimisation of the host code) outside the timings.
    await threaded.runMany(typicalEvalSource, views.slice(0, 256));
    await inProcess.runMany(typicalEvalSource, views.slice(0, 256));
    const threads = await timeBatch(threaded);
    const local = await timeBatch(inProcess);
    const singleCount = Math.min(200, traceCount);
    report({
      name: "eval-throughput-threads",
      threads_evals_per_sec: threads.perSec,
      in_process_evals_per_sec: local.perSec,
      threads_single_run_evals_per_sec: await timeSingles(threaded, singleCount),
      threads_event_loop_max_stall_ms: threads.maxLagMs,
      in_process_event_loop_max_stall_ms: local.maxLagMs,
      target_evals_per_sec: TARGET_EVALS_PER_SEC,
      meets_target: threads.perSec >= TARGET_EVALS_PER_SEC,
      threads: threaded.stats().threads,
      traces: traceCount,
      failures: threads.failures,
      node: process.version,
    });
  } finally {
    await threaded.close();
  }
}

await main();
