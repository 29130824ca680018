/**
 * Eval throughput of the QuickJS sandbox on Node, next to the same eval run natively in V8.
 * Prints one JSON object. Run: `npx tsx bench/eval-throughput.ts [traceCount]`.
 */
import { createSandbox, defaultLimits } from "../src/sandbox";
import { loadQuickJsModuleForNode } from "../src/sandbox/load-module-node";
import { makeTraceView, typicalEvalSource } from "../test/sandbox/trace-fixture";

const TARGET_EVALS_PER_SEC = 2_000;
const traceCount = Number(process.argv[2] ?? 2_000);
const views = Array.from({ length: traceCount }, (_, i) => makeTraceView(i));
const sandbox = createSandbox({ loadModule: loadQuickJsModuleForNode });

function perSecond(count: number, ms: number): number {
  return Math.round((count / ms) * 1000);
}

async function timeSandboxBatch(): Promise<{ ms: number; failures: number }> {
  const started = performance.now();
  const outcomes = await sandbox.runMany(typicalEvalSource, views);
  return { ms: performance.now() - started, failures: outcomes.filter((o) => !o.ok).length };
}

async function timeSandboxSingles(count: number): Promise<number> {
  const started = performance.now();
  for (const view of views.slice(0, count)) {
    await sandbox.run(typicalEvalSource, view);
  }
  return performance.now() - started;
}

function timeNative(withJsonRoundTrip: boolean): number {
  const evaluate = new Function(`${typicalEvalSource}\nreturn evaluate;`)() as (trace: unknown) => unknown;
  const inputs = withJsonRoundTrip ? views.map((v) => JSON.stringify(v)) : views;
  let sink = 0;
  const started = performance.now();
  for (const input of inputs) {
    const trace = typeof input === "string" ? JSON.parse(input) : input;
    const result = evaluate(trace);
    sink += withJsonRoundTrip ? JSON.stringify(result).length : result ? 1 : 0;
  }
  const ms = performance.now() - started;
  if (sink < 0) {
    throw new Error("unreachable: keeps the loop from being optimised away");
  }
  return ms;
}

/** How long the default tick budget lets a CPU-bound loop run before it is stopped. */
async function timeoutCalibration(): Promise<Record<string, number | string>> {
  const loops = {
    empty_loop: "for (;;) {}",
    property_walk: "const o = { a: { b: { c: 1 } } }; let s = 0; for (;;) { s += o.a.b.c; }",
    function_calls: "const f = (x) => x + 1; let s = 0; for (;;) { s = f(s); }",
    string_building: "let s = ''; for (;;) { s = ('abc' + s).slice(0, 100); }",
  };
  const result: Record<string, number | string> = {};
  for (const [name, body] of Object.entries(loops)) {
    // No wall-clock backstop here: the point is to measure what the tick budget alone allows.
    const outcome = await sandbox.run(`function evaluate(trace) { ${body} }`, {}, { maxWallMs: 60_000 });
    result[`${name}_ms`] = outcome.ok ? "did not time out" : Math.round(outcome.durationMs);
  }
  return result;
}

async function main(): Promise<void> {
  await sandbox.run(typicalEvalSource, views[0]); // load the WASM module outside the timings
  timeNative(false); // and let V8 optimise the native function
  const batch = await timeSandboxBatch();
  const singleCount = Math.min(200, traceCount);
  const singleMs = await timeSandboxSingles(singleCount);
  const nativeMs = timeNative(false);
  const nativeJsonMs = timeNative(true);
  const evalsPerSec = perSecond(traceCount, batch.ms);
  const nativePerSec = perSecond(traceCount, nativeMs);
  const report = {
    name: "eval-throughput",
    evals_per_sec: evalsPerSec,
    native_evals_per_sec: nativePerSec,
    ratio: Number((evalsPerSec / nativePerSec).toFixed(4)),
    native_with_json_round_trip_evals_per_sec: perSecond(traceCount, nativeJsonMs),
    single_run_evals_per_sec: perSecond(singleCount, singleMs),
    target_evals_per_sec: TARGET_EVALS_PER_SEC,
    meets_target: evalsPerSec >= TARGET_EVALS_PER_SEC,
    traces: traceCount,
    spans_per_trace: views[0]?.spans.length ?? 0,
    avg_view_bytes: Math.round(views.reduce((n, v) => n + JSON.stringify(v).length, 0) / traceCount),
    failures: batch.failures,
    default_max_ticks: defaultLimits.maxTicks,
    timeout_at_default_ticks: await timeoutCalibration(),
    node: process.version,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
