import { describe, expect, it } from "vitest";
import { createSandbox, type EvalOutcome, type SandboxOptions } from "../../src/sandbox";
import { loadQuickJsModuleForNode } from "../../src/sandbox/load-module-node";
import { makeTraceView } from "./trace-fixture";

/** A sandbox whose clock never moves (only ticks stop code, whatever the machine's load) and that counts module loads. */
function countingSandbox(overrides: Partial<SandboxOptions> = {}) {
  let loads = 0;
  const sandbox = createSandbox({
    now: () => 0,
    loadModule: () => {
      loads += 1;
      return loadQuickJsModuleForNode();
    },
    ...overrides,
  });
  return { sandbox, loads: () => loads };
}

const kinds = (outcomes: EvalOutcome[]) => outcomes.map((o) => (o.ok ? "ok" : o.error.kind));

describe("eval source forms", () => {
  const { sandbox } = countingSandbox();
  const body = "return { pass: trace.spans.length === 20, score: 0.5, reason: trace.id };";

  it.each([
    ["a plain function declaration", `function evaluate(trace) { ${body} }`],
    ["a named export", `export function evaluate(trace) { ${body} }`],
    ["a default export", `export default function (trace) { ${body} }`],
    ["a default-exported arrow", `export default (trace) => { ${body} };`],
    ["a const arrow", `const evaluate = (trace) => { ${body} };`],
    [
      "helpers around a named evaluate",
      `const id = (t) => t.id;\nfunction evaluate(trace) { ${body.replace("trace.id", "id(trace)")} }`,
    ],
  ])("accepts %s", async (_name, source) => {
    const outcome = await sandbox.run(source, makeTraceView(3));
    expect(outcome).toMatchObject({ ok: true, pass: true, score: 0.5, reason: "trace_00000003" });
  });

  it("accepts a bare boolean as the verdict, with no score and an empty reason", async () => {
    expect(await sandbox.run("function evaluate() { return false; }", {})).toMatchObject({
      ok: true,
      pass: false,
      score: null,
      reason: "",
    });
  });

  it("supports top-level await in the module body", async () => {
    const source = "const two = await Promise.resolve(2);\nexport function evaluate() { return two === 2; }";
    expect(await sandbox.run(source, {})).toMatchObject({ ok: true, pass: true });
  });

  it("reports a syntax error with its position", async () => {
    const outcome = await sandbox.run("function evaluate(trace) {\n  return (;\n}", {});
    expect(outcome).toMatchObject({
      ok: false,
      error: { kind: "syntax", message: expect.stringMatching(/^SyntaxError: .*eval\.js:2:/s) },
    });
  });

  it("explains how to define evaluate when the source has none", async () => {
    const outcome = await sandbox.run("export const evaluate = 1; function check() { return true; }", {});
    expect(outcome).toMatchObject({
      ok: false,
      error: { kind: "syntax", message: expect.stringContaining("defines no evaluate(trace)") },
    });
  });

  it("passes a missing input as null", async () => {
    expect(await sandbox.run("function evaluate(trace) { return trace === null; }", undefined)).toMatchObject({
      ok: true,
      pass: true,
    });
  });
});

describe("console capture and output caps", () => {
  const { sandbox } = countingSandbox();

  it("captures console lines, marking levels other than log and info", async () => {
    const source = `function evaluate(trace) {
      console.log("spans", trace.spans.length, { ok: true });
      console.info("info line");
      console.warn("careful");
      console.error(new Error("bad").message);
      console.debug([1, 2]);
      return true;
    }`;
    const outcome = await sandbox.run(source, makeTraceView(0));
    expect(outcome.console).toBe('spans 20 {"ok":true}\ninfo line\n[warn] careful\n[error] bad\n[debug] [1,2]');
  });

  it("keeps the console of a failing input", async () => {
    const outcome = await sandbox.run("function evaluate() { console.log('before'); throw new Error('after'); }", {});
    expect(outcome).toMatchObject({ ok: false, console: "before", error: { kind: "runtime" } });
  });

  it("caps the console and marks it truncated", async () => {
    const outcome = await sandbox.run(
      "function evaluate() { for (let i = 0; i < 1000; i++) console.log('line ' + i); return true; }",
      {},
      { consoleChars: 100 },
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.console.startsWith("line 0\nline 1\n")).toBe(true);
    expect(outcome.console.endsWith("…[console output truncated]")).toBe(true);
    expect(outcome.console.length).toBeLessThanOrEqual(100 + "…[console output truncated]".length);
  });

  it("truncates a long reason and marks it, but fails a huge one", async () => {
    const source = "function evaluate(trace) { return { pass: true, reason: 'r'.repeat(trace.n) }; }";
    const limits = { reasonChars: 10, outputChars: 1000 };
    expect(await sandbox.run(source, { n: 50 }, limits)).toMatchObject({ ok: true, reason: "rrrrrrrrrr…[truncated]" });
    expect(await sandbox.run(source, { n: 1001 }, limits)).toMatchObject({
      ok: false,
      error: { kind: "output_too_large" },
    });
  });
});

describe("limits", () => {
  it("stops at the tick budget and reports the ticks a normal eval used", async () => {
    const { sandbox } = countingSandbox();
    const loop = "function evaluate(trace) { let s = 0; for (let i = 0; i < trace.n; i++) s += i; return s > 0; }";
    const small = await sandbox.run(loop, { n: 200_000 });
    expect(small).toMatchObject({ ok: true, pass: true });
    expect(small.ok && small.ticks).toBeGreaterThan(0);
    const outcome = await sandbox.run(loop, { n: 200_000 }, { maxTicks: 1 });
    expect(outcome).toMatchObject({
      ok: false,
      error: { kind: "timeout", message: expect.stringContaining("CPU budget of 1 ticks") },
    });
  });

  it("stops at the wall-clock backstop where the clock moves", async () => {
    let nowMs = 0;
    const { sandbox } = countingSandbox({ now: () => (nowMs += 10) });
    const outcome = await sandbox.run(
      "function evaluate() { for (;;) {} }",
      {},
      { maxWallMs: 50, maxTicks: 1_000_000 },
    );
    expect(outcome).toMatchObject({
      ok: false,
      error: { kind: "timeout", message: expect.stringContaining("wall-clock limit of 50 ms") },
    });
  });

  it("caps the module's memory at the budget", async () => {
    const source =
      "function evaluate(trace) { const keep = []; for (let i = 0; i < trace.mib; i++) keep.push(new Uint8Array(1 << 20)); return true; }";
    expect(await countingSandbox().sandbox.run(source, { mib: 24 })).toMatchObject({ ok: true });
    // A fresh sandbox: memory the module already grew to stays usable under a smaller budget.
    const { sandbox } = countingSandbox();
    expect(await sandbox.run(source, { mib: 24 }, { memoryBytes: 20 * 1024 * 1024 })).toMatchObject({
      ok: false,
      error: { kind: "memory", message: "out of memory: the eval exceeded its 20 MiB memory limit" },
    });
  });
});

describe("runMany", () => {
  const counterEval = `let calls = 0;
    function evaluate(trace) {
      calls += 1;
      if (trace.mode === "loop") for (;;) {}
      if (trace.mode === "throw") throw new Error("input " + trace.i);
      return { pass: true, reason: String(calls) };
    }`;

  it("compiles once and runs every input in one context", async () => {
    const { sandbox } = countingSandbox();
    const outcomes = await sandbox.runMany(counterEval, [{ i: 0 }, { i: 1 }, { i: 2 }]);
    expect(outcomes.map((o) => o.ok && o.reason)).toEqual(["1", "2", "3"]);
  });

  it("keeps the context after a thrown error but starts a fresh one after a timeout", async () => {
    const { sandbox } = countingSandbox();
    const inputs = [{ i: 0 }, { i: 1, mode: "throw" }, { i: 2 }, { i: 3, mode: "loop" }, { i: 4 }];
    const outcomes = await sandbox.runMany(counterEval, inputs);
    expect(kinds(outcomes)).toEqual(["ok", "runtime", "ok", "timeout", "ok"]);
    expect(outcomes.map((o) => (o.ok ? o.reason : undefined))).toEqual(["1", undefined, "3", undefined, "1"]);
  });

  it("continues on a fresh WASM module after an input exhausts the host stack", async () => {
    const { sandbox, loads } = countingSandbox();
    const source = `function evaluate(trace) {
      if (trace.deep) { let o = {}; for (let i = 0; i < 200000; i++) o = { a: o }; JSON.stringify(o); }
      return true;
    }`;
    const outcomes = await sandbox.runMany(source, [{}, { deep: true }, {}, {}]);
    expect(kinds(outcomes)).toEqual(["ok", "stack", "ok", "ok"]);
    expect(loads()).toBe(2);
  });

  it("fails every input the same way when the source does not load", async () => {
    const { sandbox } = countingSandbox();
    const outcomes = await sandbox.runMany("function evaluate( {", [{}, {}, {}]);
    expect(kinds(outcomes)).toEqual(["syntax", "syntax", "syntax"]);
  });

  it("returns no outcomes for no inputs", async () => {
    expect(await countingSandbox().sandbox.runMany("function evaluate() { return true; }", [])).toEqual([]);
  });
});

describe("module lifecycle", () => {
  it("reuses one WASM module across evals", async () => {
    const { sandbox, loads } = countingSandbox();
    for (let i = 0; i < 5; i++) {
      expect(await sandbox.run("function evaluate() { return true; }", {})).toMatchObject({ ok: true });
    }
    expect(loads()).toBe(1);
  });

  it("serves concurrent runs with their own outcomes", async () => {
    const { sandbox } = countingSandbox();
    const source =
      "function evaluate(trace) { if (trace.n === 2) for (;;) {} return { pass: true, reason: String(trace.n) }; }";
    const outcomes = await Promise.all([0, 1, 2, 3].map((n) => sandbox.run(source, { n })));
    expect(outcomes.map((o) => (o.ok ? o.reason : o.error.kind))).toEqual(["0", "1", "timeout", "3"]);
  });

  it("rejects a batch whose input is not JSON, and keeps working", async () => {
    const { sandbox } = countingSandbox();
    await expect(sandbox.runMany("function evaluate() { return true; }", [{}, { n: 1n }])).rejects.toThrow(TypeError);
    expect(await sandbox.run("function evaluate() { return true; }", {})).toMatchObject({ ok: true });
  });

  it("rejects when the module cannot load, and loads again on the next run", async () => {
    let attempts = 0;
    const sandbox = createSandbox({
      loadModule: () => {
        attempts += 1;
        return attempts === 1 ? Promise.reject(new Error("no wasm")) : loadQuickJsModuleForNode();
      },
    });
    await expect(sandbox.run("function evaluate() { return true; }", {})).rejects.toThrow("no wasm");
    expect(await sandbox.run("function evaluate() { return true; }", {})).toMatchObject({ ok: true });
  });
});
