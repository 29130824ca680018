import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createThreadedSandbox, type ThreadedSandbox } from "../../src/runtime/sandbox-threads";
import type { EvalOutcome } from "../../src/sandbox";
import { makeTraceView, typicalEvalSource } from "../sandbox/trace-fixture";

const fn = (body: string) => `function evaluate(trace) { ${body} }`;
const kinds = (outcomes: EvalOutcome[]) => outcomes.map((o) => (o.ok ? "ok" : o.error.kind));
// Generous, so a loaded machine never mistakes a normal eval for a runaway one.
const hardTimeoutMs = 1_500;

/** One builtin call per loop iteration: QuickJS ticks once per ~10,000 iterations, so never here. */
const giantJoinLoop = fn("for (;;) [].join.call({ length: 1e7 }, '');");

async function expectHealthy(sandbox: ThreadedSandbox): Promise<void> {
  expect(await sandbox.run(typicalEvalSource, makeTraceView(4))).toMatchObject({
    ok: true,
    pass: true,
    score: 1,
    reason: "7 LLM calls, 4620 tokens, 0 tool errors",
  });
}

describe("hard stops of work the tick budget cannot see", () => {
  const sandbox = createThreadedSandbox({ threads: 2, hardTimeoutMs });
  afterAll(() => sandbox.close());

  it.each([
    ["a loop of giant array joins", giantJoinLoop],
    ["a loop of giant String.prototype.repeat calls", fn("for (;;) 'ab'.repeat(2 ** 22).length;")],
    ["a loop of giant padEnd calls", fn("for (;;) ''.padEnd(2 ** 22, 'ab').length;")],
    [
      "a loop of big typed-array sorts",
      fn("const a = new Float64Array(1 << 20).fill(2, 0, 1 << 19).fill(1, 1 << 19); for (;;) a.reverse().sort();"),
    ],
  ])("stops %s and then runs a normal eval", async (_name, source) => {
    const outcome = await sandbox.run(source, {});
    expect(outcome).toMatchObject({
      ok: false,
      error: {
        kind: "timeout",
        message: expect.stringMatching(/^timed out: the eval was stopped by the host after \d+ ms/),
      },
    });
    await expectHealthy(sandbox);
  });

  it.each([
    ["catastrophic regex backtracking", fn("return /(a+)+$/.test('a'.repeat(40) + 'b');")],
    [
      "a sort with a slow comparator",
      fn(
        "const a = Array.from({ length: 2e4 }, (_, i) => (i * 7919) % 2e4); for (;;) a.slice().sort((x, y) => [].join.call({ length: 1e4 }, '').length + x - y);",
      ),
    ],
  ])("stops %s (by its budget or by the host) and then runs a normal eval", async (_name, source) => {
    const outcome = await sandbox.run(source, {});
    expect(outcome).toMatchObject({
      ok: false,
      error: { kind: "timeout", message: expect.stringMatching(/timed out/) },
    });
    await expectHealthy(sandbox);
  });

  it("replaces the stopped thread", async () => {
    const before = sandbox.stats().threadsStarted;
    expect(await sandbox.run(giantJoinLoop, {})).toMatchObject({ ok: false, error: { kind: "timeout" } });
    await expectHealthy(sandbox);
    await sandbox.ready();
    expect(sandbox.stats()).toMatchObject({ threads: 2, busy: 0, threadsStarted: before + 1 });
  });

  it("keeps the event loop responsive while an eval spins inside a builtin", async () => {
    await expectHealthy(sandbox);
    const server = createServer((_req, res) => res.end("pong"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    let settled = false;
    const spinning = sandbox.run(giantJoinLoop, {}).finally(() => {
      settled = true;
    });
    let intervalTicks = 0;
    const ticked = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        intervalTicks += 1;
        if (intervalTicks === 3) {
          clearInterval(timer);
          resolve();
        }
      }, 5);
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      expect(await res.text()).toBe("pong");
      await ticked;
      expect(settled).toBe(false);
    } finally {
      server.close();
    }
    expect(await spinning).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });
});

describe("memory and batches on one thread", () => {
  const sandbox = createThreadedSandbox({ threads: 1, hardTimeoutMs, heapMb: 32 });
  afterAll(() => sandbox.close());

  it("contains a thread that runs out of heap: the eval fails with memory and a new thread takes over", async () => {
    const before = sandbox.stats().threadsStarted;
    // A console cap the caller raised absurdly: every line lands on the thread's V8 heap.
    const flood = fn("for (let i = 0; ; i++) console.log('x'.repeat(1000) + i);");
    const outcome = await sandbox.run(flood, {}, { consoleChars: 1e9, maxTicks: 1e7, maxWallMs: 60_000 });
    expect(outcome).toMatchObject({
      ok: false,
      error: { kind: "memory", message: "out of memory: the sandbox thread exceeded its 32 MB heap and was replaced" },
    });
    await expectHealthy(sandbox);
    await sandbox.ready();
    expect(sandbox.stats()).toMatchObject({ threads: 1, threadsStarted: before + 1 });
  });

  it("caps an eval's memory at a quarter of the thread's heap", async () => {
    const bomb = fn("const keep = []; for (;;) keep.push(new Uint8Array(1 << 20));");
    expect(await sandbox.run(bomb, {}, { memoryBytes: 2 ** 30 })).toMatchObject({
      ok: false,
      error: { kind: "memory", message: expect.stringMatching(/exceeded its 8 MiB memory limit/) },
    });
    await expectHealthy(sandbox);
  });

  it("keeps the slices a batch finished before a hard stop and answers the rest without running them", async () => {
    const source = fn("if (trace.spin) for (;;) [].join.call({ length: 1e7 }, ''); return true;");
    const inputs = Array.from({ length: 300 }, (_, i) => ({ spin: i === 150 }));
    const outcomes = await sandbox.runMany(source, inputs);
    // Slices of 128 inputs: the first finished, the second was stopped, the third never ran.
    expect(kinds(outcomes)).toEqual([
      ...Array(128).fill("ok"),
      ...Array(128).fill("timeout"),
      ...Array(44).fill("timeout"),
    ]);
    const message = (o: EvalOutcome | undefined) => (o && !o.ok ? o.error.message : "");
    expect(message(outcomes[128])).toMatch(/^timed out: the eval was stopped by the host/);
    expect(message(outcomes[299])).toMatch(/^not run: an earlier input of this batch was stopped/);
    await expectHealthy(sandbox);
  });
});
