import fc from "fast-check";
import { describe, it } from "vitest";
import { assignTrace } from "../../src/agents";
import { deleteFeedback, labelTrace, updateFeedback } from "../../src/feedback";
import { createTrace } from "../helpers/agent-factories";
import { makeTestApp } from "../helpers/app";
import { createLabelCopyWorld, execute, expectFastStatsMatchJoin, type LabelCopyWorld } from "../helpers/label-copy";

// Random histories of label, assignment and execution writes, all through the services: afterwards
// the index-scan stats equal the join-based reference for both agents under every fast-path filter.

const t = await makeTestApp();
const TRACES = 6;

const rating = fc.constantFrom("positive" as const, "negative" as const, "neutral" as const);
const trace = fc.nat({ max: TRACES - 1 });
const operation = fc.oneof(
  fc.record({ kind: fc.constant("label" as const), trace, rating, agent: fc.constantFrom(0, 1, null) }),
  fc.record({ kind: fc.constant("rate" as const), trace, rating }),
  fc.record({ kind: fc.constant("delete" as const), trace }),
  fc.record({ kind: fc.constant("assign" as const), trace, version: fc.constantFrom(0, 1, null) }),
  fc.record({
    kind: fc.constant("execute" as const),
    agent: fc.constantFrom(0, 1),
    evalIndex: fc.constantFrom(0, 1),
    traces: fc.uniqueArray(trace, { minLength: 1, maxLength: TRACES }),
    result: fc.constantFrom(true, false, "error" as const),
    ms: fc.nat({ max: 50 }),
  }),
);
type Operation = typeof operation extends fc.Arbitrary<infer O> ? O : never;
// Where each trace starts: its version and label (most traces labeled, so the rating, agent and delete
// writes that follow act on labels that executions already copied).
const start = fc.array(
  fc.record({
    version: fc.constantFrom(0, 1, null),
    label: fc.option(fc.record({ rating, agent: fc.constantFrom(0, 1, null) }), { freq: 5 }),
  }),
  { minLength: TRACES, maxLength: TRACES },
);
type Start = typeof start extends fc.Arbitrary<infer S> ? S : never;

async function begin(w: LabelCopyWorld, traceIds: string[], initial: Start): Promise<void> {
  for (const [i, s] of initial.entries()) {
    await apply(w, traceIds, { kind: "assign", trace: i, version: s.version });
    if (s.label) {
      await apply(w, traceIds, { kind: "label", trace: i, ...s.label });
    }
  }
  // Every eval runs on every trace before the history, so each label write meets copies to rewrite.
  const traces = traceIds.map((_, i) => i);
  for (const agent of [0, 1] as const) {
    for (const evalIndex of [0, 1] as const) {
      await apply(w, traceIds, { kind: "execute", agent, evalIndex, traces, result: evalIndex === 0, ms: 3 });
    }
  }
}

async function apply(w: LabelCopyWorld, traceIds: string[], op: Operation): Promise<void> {
  if (op.kind === "execute") {
    const evalId = w.evalsOf[op.agent]?.[op.evalIndex] ?? "";
    const rows = op.traces.map((i) => ({ traceId: traceIds[i] ?? "", result: op.result, ms: op.ms }));
    await execute(w, t, evalId, rows);
    return;
  }
  const traceId = traceIds[op.trace] ?? "";
  if (op.kind === "label") {
    const agentId = op.agent === null ? null : (w.agents[op.agent]?.id ?? null);
    await labelTrace(w.ctx, { traceId, rating: op.rating, agentId });
  } else if (op.kind === "assign") {
    await assignTrace(w.ctx, traceId, op.version === null ? null : (w.versions[op.version]?.id ?? null));
  } else {
    const label = await currentLabel(w, traceId);
    if (label && op.kind === "rate") {
      await updateFeedback(w.ctx, label, { rating: op.rating });
    } else if (label) {
      await deleteFeedback(w.ctx, label);
    }
  }
}

async function currentLabel(w: LabelCopyWorld, traceId: string): Promise<string | undefined> {
  const row = await w.ctx.db.query.feedback.findFirst({ where: (f, { eq }) => eq(f.traceId, traceId) });
  return row?.id;
}

describe("matrix stats by index scan", () => {
  it("equal the join-based reference after any history of writes", async () => {
    await fc.assert(
      fc.asyncProperty(start, fc.array(operation, { minLength: 1, maxLength: 25 }), async (initial, ops) => {
        t.clock.set("2026-01-01T00:00:00.000Z");
        const w = await createLabelCopyWorld(t);
        const traceIds: string[] = [];
        for (let i = 0; i < TRACES; i++) {
          traceIds.push((await createTrace(t.db, w.ws)).id);
        }
        await begin(w, traceIds, initial);
        for (const op of ops) {
          // One second per write, so the date filters cut histories in the middle.
          t.clock.advance(1000);
          await apply(w, traceIds, op);
        }
        await expectFastStatsMatchJoin(w);
      }),
      { numRuns: 50, seed: 20_261_125 },
    );
    // 50 histories of up to 25 writes each: more than the default 5 s on a shared machine.
  }, 60_000);
});
