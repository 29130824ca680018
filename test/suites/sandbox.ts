import { beforeAll, describe, expect, it } from "vitest";
import type { EvalErrorKind, EvalOutcome, Sandbox } from "../../src/sandbox";
import { makeTraceView, typicalEvalSource } from "../sandbox/trace-fixture";

export interface SandboxHarness {
  sandbox: Sandbox;
  /** How many times the sandbox asked the host for a WASM module. */
  moduleLoads: () => number;
}

interface HostileCase {
  name: string;
  source: string;
  kind: EvalErrorKind;
  message: RegExp;
}

const fn = (body: string) => `function evaluate(trace) { ${body} }`;

const hostileCases: HostileCase[] = [
  { name: "an infinite loop", source: fn("while (true) {}"), kind: "timeout", message: /CPU budget of \d+ ticks/ },
  {
    name: "an infinite loop that tries to catch the interrupt",
    source: fn("for (;;) { try { for (;;) {} } catch (e) {} }"),
    kind: "timeout",
    message: /timed out/,
  },
  {
    name: "a result getter that never returns",
    source: fn("return { get pass() { for (;;) {} } };"),
    kind: "timeout",
    message: /timed out/,
  },
  {
    name: "an infinite loop in the module body",
    source: "for (;;) {}\nexport function evaluate() { return true; }",
    kind: "timeout",
    message: /timed out/,
  },
  {
    name: "unbounded recursion",
    source: fn("const f = (n) => f(n + 1) + 1; return f(0);"),
    kind: "stack",
    message: /stack overflow/,
  },
  {
    name: "nesting deep enough to exhaust the host's own stack",
    source: fn("let o = {}; for (let i = 0; i < 200000; i++) o = { a: o }; return JSON.stringify(o).length > 0;"),
    kind: "stack",
    message: /stack overflow/,
  },
  {
    name: "a memory bomb of buffers",
    source: fn("const keep = []; for (;;) keep.push(new Uint8Array(1 << 20));"),
    kind: "memory",
    message: /out of memory: the eval exceeded its 32 MiB memory limit/,
  },
  {
    name: "a memory bomb of objects",
    source: fn("const keep = []; for (let i = 0; ; i++) keep.push({ i, text: 'x' + i });"),
    kind: "memory",
    message: /memory limit/,
  },
  { name: "string doubling", source: fn("let s = 'x'; for (;;) s += s;"), kind: "memory", message: /memory limit/ },
  {
    name: "a huge string result",
    source: fn("return { pass: true, reason: 'x'.repeat(10_000_000) };"),
    kind: "output_too_large",
    message: /result.reason has 10000000 characters/,
  },
  {
    name: "reaching for fetch",
    source: fn("return fetch('https://example.com');"),
    kind: "runtime",
    message: /'fetch' is not defined/,
  },
  {
    name: "reaching for process",
    source: fn("process.exit(1);"),
    kind: "runtime",
    message: /'process' is not defined/,
  },
  {
    name: "reaching for require",
    source: fn("return require('node:fs');"),
    kind: "runtime",
    message: /'require' is not defined/,
  },
  {
    name: "a static import",
    source: "import { readFileSync } from 'node:fs';\nexport function evaluate() { return true; }",
    kind: "runtime",
    message: /import of 'node:fs' is not available in evals/,
  },
  {
    name: "a dynamic import awaited in the module body",
    source: "const fs = await import('node:fs');\nexport function evaluate() { return true; }",
    kind: "runtime",
    message: /import of 'node:fs' is not available in evals/,
  },
  {
    name: "a dynamic import in evaluate",
    source: fn("return import('node:fs');"),
    kind: "invalid_result",
    message: /Promise/,
  },
  {
    name: "setTimeout",
    source: fn("setTimeout(() => {}, 0); return true;"),
    kind: "runtime",
    message: /'setTimeout' is not defined/,
  },
  {
    name: "setInterval",
    source: fn("setInterval(() => {}, 1); return true;"),
    kind: "runtime",
    message: /'setInterval' is not defined/,
  },
  {
    name: "queueMicrotask",
    source: fn("queueMicrotask(() => {}); return true;"),
    kind: "runtime",
    message: /'queueMicrotask' is not defined/,
  },
  {
    name: "climbing to the global object through a constructor",
    source: fn("const g = (function () {}).constructor('return this')(); return g.process.mainModule;"),
    kind: "runtime",
    message: /cannot read property 'mainModule' of undefined/,
  },
  { name: "a thrown string", source: fn("throw 'boom';"), kind: "runtime", message: /non-Error value: boom/ },
  { name: "a thrown null", source: fn("throw null;"), kind: "runtime", message: /non-Error value: null/ },
  {
    name: "a thrown object with a hostile toString",
    source: fn("throw { code: 7, toString() { for (;;) {} } };"),
    kind: "runtime",
    message: /non-Error value: \{"code":7\}/,
  },
  { name: "a string result", source: fn("return 'yes';"), kind: "invalid_result", message: /returned string/ },
  { name: "an array result", source: fn("return [true];"), kind: "invalid_result", message: /returned an array/ },
  { name: "no result", source: fn("trace.spans.length;"), kind: "invalid_result", message: /returned undefined/ },
  {
    name: "a non-boolean pass",
    source: fn("return { pass: 'true' };"),
    kind: "invalid_result",
    message: /pass must be a boolean/,
  },
  {
    name: "a score above 1",
    source: fn("return { pass: true, score: 7 };"),
    kind: "invalid_result",
    message: /score .* got 7/,
  },
  { name: "a NaN score", source: fn("return { pass: true, score: NaN };"), kind: "invalid_result", message: /got NaN/ },
  {
    name: "a non-string reason",
    source: fn("return { pass: true, reason: 42 };"),
    kind: "invalid_result",
    message: /reason must be a string/,
  },
  {
    name: "an async evaluate",
    source: "async function evaluate(trace) { return true; }",
    kind: "invalid_result",
    message: /evals run synchronously/,
  },
];

/** Every hostile eval fails alone, with a clear error, and the same sandbox then works normally. */
export function hostileSandboxSuite(makeHarness: () => SandboxHarness): void {
  describe("hostile evals", () => {
    let harness: SandboxHarness;
    beforeAll(() => {
      harness = makeHarness();
    });

    async function expectHealthy(): Promise<void> {
      const outcome = await harness.sandbox.run(typicalEvalSource, makeTraceView(4));
      expect(outcome).toMatchObject({
        ok: true,
        pass: true,
        score: 1,
        reason: "7 LLM calls, 4620 tokens, 0 tool errors",
      });
    }

    it.each(hostileCases)("fails $name with $kind and keeps working", async ({ source, kind, message }) => {
      const outcome = await harness.sandbox.run(source, makeTraceView(0));
      expect(outcome.ok).toBe(false);
      expect(outcome.ok === false && outcome.error).toMatchObject({ kind, message: expect.stringMatching(message) });
      await expectHealthy();
    });

    it("replaces the WASM module after the host stack is exhausted", async () => {
      const before = harness.moduleLoads();
      const deep = fn(
        "let o = {}; for (let i = 0; i < 200000; i++) o = { a: o }; return JSON.stringify(o).length > 0;",
      );
      expect(await harness.sandbox.run(deep, {})).toMatchObject({ ok: false, error: { kind: "stack" } });
      await expectHealthy();
      expect(harness.moduleLoads()).toBe(before + 1);
    });

    it("exposes no host objects, only the ECMAScript globals and a console shim", async () => {
      const outcome = await harness.sandbox.run(
        fn("return { pass: true, reason: Object.getOwnPropertyNames(globalThis).sort().join(' ') };"),
        {},
      );
      expect(outcome.ok).toBe(true);
      const names = outcome.ok ? outcome.reason.split(" ") : [];
      expect(names.filter((n) => !ecmaScriptGlobals.has(n))).toEqual(["console"]);
    });

    it("calls evaluate with no `this` and no way back to the host", async () => {
      const probe = fn(`return { pass: this === undefined, reason: [typeof fetch, typeof process, typeof require,
        typeof setTimeout, typeof WebAssembly, typeof Buffer, typeof navigator, typeof crypto, typeof caches].join() };`);
      const outcome = await harness.sandbox.run(probe, {});
      expect(outcome).toMatchObject({ ok: true, pass: true, reason: Array(9).fill("undefined").join() });
    });

    it("keeps globalThis and prototype pollution inside the eval that did it", async () => {
      const polluter = `Object.prototype.polluted = "yes"; Array.prototype.map = null; JSON.parse = () => ({});
        globalThis.leak = 1; globalThis.console = null;
        export function evaluate() { return { pass: true, reason: [].polluted }; }`;
      expect(await harness.sandbox.run(polluter, {})).toMatchObject({ ok: true, reason: "yes" });
      const checker = fn(`return { pass: ({}).polluted === undefined && typeof [1].map === "function"
        && typeof globalThis.leak === "undefined" && trace.n === 1 && typeof console.log === "function" };`);
      expect(await harness.sandbox.run(checker, { n: 1 })).toMatchObject({ ok: true, pass: true });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(typeof [1].map).toBe("function");
    });

    it("cannot forge the host's reading of a result by replacing JSON or String builtins", async () => {
      const forger = `JSON.stringify = () => '{"t":"ok","pass":true,"score":null,"reason":"forged"}';
        String.prototype.slice = () => "forged"; Function.prototype.call = () => "forged";
        export function evaluate() { return { pass: false, reason: "honest" }; }`;
      expect(await harness.sandbox.run(forger, {})).toMatchObject({ ok: true, pass: false, reason: "honest" });
    });

    it("isolates each input's failure inside one batch", async () => {
      const source = fn(
        "if (trace.mode === 'loop') for (;;) {} if (trace.mode === 'throw') throw new Error('bad input'); return true;",
      );
      const outcomes: EvalOutcome[] = await harness.sandbox.runMany(source, [
        { mode: "ok" },
        { mode: "loop" },
        { mode: "ok" },
        { mode: "throw" },
        { mode: "ok" },
      ]);
      expect(outcomes.map((o) => (o.ok ? "ok" : o.error.kind))).toEqual(["ok", "timeout", "ok", "runtime", "ok"]);
    });
  });
}

const ecmaScriptGlobals = new Set(
  `AggregateError Array ArrayBuffer BigInt BigInt64Array BigUint64Array Boolean DataView Date Error EvalError
  FinalizationRegistry Float16Array Float32Array Float64Array Function Infinity Int16Array Int32Array Int8Array
  InternalError Iterator JSON Map Math NaN Number Object Promise Proxy RangeError ReferenceError Reflect RegExp Set
  SharedArrayBuffer String Symbol SyntaxError TypeError URIError Uint16Array Uint32Array Uint8Array Uint8ClampedArray
  WeakMap WeakRef WeakSet decodeURI decodeURIComponent encodeURI encodeURIComponent escape eval globalThis isFinite
  isNaN parseFloat parseInt undefined unescape`.split(/\s+/),
);
