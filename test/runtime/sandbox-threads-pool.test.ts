import { afterAll, describe, expect, it } from "vitest";
import { createThreadedSandbox } from "../../src/runtime/sandbox-threads";
import type { EvalOutcome } from "../../src/sandbox";
import { makeTraceView } from "../sandbox/trace-fixture";

const fn = (body: string) => `function evaluate(trace) { ${body} }`;
const reasons = (outcomes: EvalOutcome[]) => outcomes.map((o) => (o.ok ? o.reason : `${o.error.kind}`));
const spinSource = fn("for (;;) [].join.call({ length: 1e7 }, '');");

describe("a pool of two threads", () => {
  const sandbox = createThreadedSandbox({ threads: 2, hardTimeoutMs: 2_000 });
  afterAll(() => sandbox.close());

  it("queues runs while both threads are busy and answers each with its own outcome", async () => {
    const source = fn("return { pass: true, reason: String(trace.n * 2) };");
    const runs = Array.from({ length: 24 }, (_, n) => sandbox.run(source, { n }));
    expect(sandbox.stats().queued).toBeGreaterThanOrEqual(22);
    const outcomes = await Promise.all(runs);
    expect(reasons(outcomes)).toEqual(Array.from({ length: 24 }, (_, n) => String(n * 2)));
    expect(sandbox.stats()).toMatchObject({ threads: 2, busy: 0, queued: 0 });
  });

  it("answers a batch cut into slices across both threads in input order", async () => {
    const views = Array.from({ length: 300 }, (_, i) => makeTraceView(i));
    const outcomes = await sandbox.runMany(fn("return { pass: true, reason: trace.id };"), views);
    expect(reasons(outcomes)).toEqual(views.map((v) => v.id));
  });

  it("answers concurrent batches of different evals without mixing them", async () => {
    const inputs = Array.from({ length: 200 }, (_, n) => ({ n }));
    const [doubled, negated] = await Promise.all([
      sandbox.runMany(fn("return { pass: true, reason: String(trace.n * 2) };"), inputs),
      sandbox.runMany(fn("return { pass: false, reason: String(-trace.n) };"), inputs),
    ]);
    expect(reasons(doubled)).toEqual(inputs.map(({ n }) => String(n * 2)));
    expect(reasons(negated)).toEqual(inputs.map(({ n }) => String(-n)));
  });

  it("returns no outcomes for no inputs", async () => {
    expect(await sandbox.runMany(fn("return true;"), [])).toEqual([]);
  });

  it("rejects a batch whose input is not JSON, as the in-process sandbox does, and keeps working", async () => {
    await expect(sandbox.runMany(fn("return true;"), [{ n: 1 }, { big: 1n }])).rejects.toThrow(/BigInt/);
    await expect(sandbox.run(fn("return true;"), { f: () => 1 })).rejects.toThrow(/could not be cloned/);
    expect(await sandbox.run(fn("return true;"), {})).toMatchObject({ ok: true, pass: true });
  });

  it("runs queued work on the other thread while one spins, and the spinner alone times out", async () => {
    await sandbox.ready();
    const spinning = sandbox.run(spinSource, {});
    const quick = await Promise.all(
      Array.from({ length: 5 }, (_, n) => sandbox.run(fn("return trace.n >= 0;"), { n })),
    );
    expect(quick.every((o) => o.ok && o.pass)).toBe(true);
    expect(await spinning).toMatchObject({ ok: false, error: { kind: "timeout" } });
  });
});

describe("closing", () => {
  it("rejects running and queued evals, leaves no threads and refuses new work", async () => {
    const sandbox = createThreadedSandbox({ threads: 1, hardTimeoutMs: 10_000 });
    await sandbox.ready();
    expect(await sandbox.run(fn("return true;"), {})).toMatchObject({ ok: true });
    const running = sandbox.run(spinSource, {});
    const queued = sandbox.run(fn("return true;"), {});
    expect(sandbox.stats()).toMatchObject({ threads: 1, busy: 1, queued: 1 });
    const rejections = [expect(running).rejects.toThrow(/closed/), expect(queued).rejects.toThrow(/closed/)];
    await sandbox.close();
    await Promise.all(rejections);
    expect(sandbox.stats()).toMatchObject({ threads: 0, busy: 0, queued: 0 });
    await expect(sandbox.run(fn("return true;"), {})).rejects.toThrow(/closed/);
    await expect(sandbox.ready()).rejects.toThrow(/closed/);
  });

  it("closes a pool whose threads are still starting", async () => {
    const sandbox = createThreadedSandbox({ threads: 2 });
    const rejection = expect(sandbox.ready()).rejects.toThrow(/closed/);
    await sandbox.close();
    await rejection;
    expect(sandbox.stats().threads).toBe(0);
  });

  it("refuses a pool without threads", () => {
    expect(() => createThreadedSandbox({ threads: 0 })).toThrow(RangeError);
    expect(() => createThreadedSandbox({ hardTimeoutMs: 0 })).toThrow(RangeError);
  });
});
