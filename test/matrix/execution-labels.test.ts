import { describe, expect, it } from "vitest";
import { assignTrace, assignTracesToVersion, assignTracesToVersions } from "../../src/agents";
import { deleteFeedback, labelTrace, updateFeedback } from "../../src/feedback";
import { createTrace } from "../helpers/agent-factories";
import { makeTestApp } from "../helpers/app";
import { createLabelCopyWorld, execute, expectFastStatsMatchJoin, labelCopies } from "../helpers/label-copy";

// Every writer of executions, labels and trace assignments keeps the label copy on eval_executions
// exact (the label's rating and date when it counts for the eval's agent, else null), and the fast
// stats then equal the join over the labels themselves.

const t = await makeTestApp();
const NONE = { rating: null, createdAt: null };

describe("the label copy on eval_executions", () => {
  it("is taken by an execution written after the label, and reaches one written before it", async () => {
    const w = await createLabelCopyWorld(t);
    const [a] = w.agents;
    const [e1 = "", e2 = ""] = w.evalsOf[0] ?? [];
    const before = await createTrace(t.db, w.ws);
    const after = await createTrace(t.db, w.ws);
    await execute(w, t, e1, [{ traceId: before.id, result: true, ms: 4 }]);
    expect(await labelCopies(t, before.id)).toEqual({ [e1]: NONE });

    t.clock.advance(1000);
    const createdAt = t.clock.now().toISOString();
    await labelTrace(w.ctx, { traceId: before.id, rating: "negative", agentId: a?.id });
    await labelTrace(w.ctx, { traceId: after.id, rating: "positive", agentId: a?.id });
    expect(await labelCopies(t, before.id)).toEqual({ [e1]: { rating: "negative", createdAt } });

    await execute(w, t, e2, [{ traceId: after.id, result: "error", ms: 7 }]);
    await execute(w, t, e1, [{ traceId: after.id, result: false, ms: 2 }]);
    const positive = { rating: "positive", createdAt };
    expect(await labelCopies(t, after.id)).toEqual({ [e1]: positive, [e2]: positive });
    await expectFastStatsMatchJoin(w);
  });

  it("follows a label's rating change, agent change and deletion", async () => {
    const w = await createLabelCopyWorld(t);
    const [, b] = w.agents;
    const [va] = w.versions;
    const [ea = "", eb = ""] = [w.evalsOf[0]?.[0], w.evalsOf[1]?.[0]];
    const trace = await createTrace(t.db, w.ws, { agentVersionId: va?.id });
    const createdAt = t.clock.now().toISOString();
    const { feedback } = await labelTrace(w.ctx, { traceId: trace.id, rating: "positive", agentId: b?.id });
    await execute(w, t, ea, [{ traceId: trace.id, result: true, ms: 3 }]);
    await execute(w, t, eb, [{ traceId: trace.id, result: false, ms: 5 }]);
    const expectCopies = async (expected: Record<string, unknown>) => {
      expect(await labelCopies(t, trace.id)).toEqual(expected);
      await expectFastStatsMatchJoin(w);
    };
    // A label naming agent b counts for b's evals only, even on a trace of a's version.
    await expectCopies({ [ea]: NONE, [eb]: { rating: "positive", createdAt } });

    await updateFeedback(w.ctx, feedback.id, { rating: "negative" });
    await expectCopies({ [ea]: NONE, [eb]: { rating: "negative", createdAt } });

    // No agent on the label: it counts for the agent of the trace's version.
    await labelTrace(w.ctx, { traceId: trace.id, rating: "neutral", agentId: null });
    await expectCopies({ [ea]: { rating: "neutral", createdAt }, [eb]: NONE });

    await deleteFeedback(w.ctx, feedback.id);
    await expectCopies({ [ea]: NONE, [eb]: NONE });
  });

  it("follows the trace's assignment when the label names no agent", async () => {
    const w = await createLabelCopyWorld(t);
    const [va, vb] = w.versions;
    const [ea = "", eb = ""] = [w.evalsOf[0]?.[1], w.evalsOf[1]?.[1]];
    const trace = await createTrace(t.db, w.ws);
    const createdAt = t.clock.now().toISOString();
    await labelTrace(w.ctx, { traceId: trace.id, rating: "positive" });
    await execute(w, t, ea, [{ traceId: trace.id, result: true, ms: 1 }]);
    await execute(w, t, eb, [{ traceId: trace.id, result: true, ms: 1 }]);
    const positive = { rating: "positive", createdAt };
    expect(await labelCopies(t, trace.id)).toEqual({ [ea]: NONE, [eb]: NONE });

    await assignTrace(w.ctx, trace.id, va?.id ?? null);
    expect(await labelCopies(t, trace.id)).toEqual({ [ea]: positive, [eb]: NONE });
    await expectFastStatsMatchJoin(w);
    await assignTrace(w.ctx, trace.id, vb?.id ?? null);
    expect(await labelCopies(t, trace.id)).toEqual({ [ea]: NONE, [eb]: positive });
    await expectFastStatsMatchJoin(w);
    await assignTrace(w.ctx, trace.id, null);
    expect(await labelCopies(t, trace.id)).toEqual({ [ea]: NONE, [eb]: NONE });
    await expectFastStatsMatchJoin(w);
  });

  it("follows bulk assignment in chunks and automatic assignment on ingestion", async () => {
    const w = await createLabelCopyWorld(t);
    const [a] = w.agents;
    const [, vb] = w.versions;
    const [ea = "", eb = ""] = [w.evalsOf[0]?.[0], w.evalsOf[1]?.[0]];
    // More traces than one UPDATE may name (90), so the assignment and its copy run in two chunks.
    const bulk = [];
    for (let i = 0; i < 95; i++) {
      bulk.push((await createTrace(t.db, w.ws)).id);
    }
    const prompted = await createTrace(t.db, w.ws, { systemPrompt: "You are agent 1 of Acme." });
    const createdAt = t.clock.now().toISOString();
    for (const traceId of [...bulk, prompted.id]) {
      await labelTrace(w.ctx, { traceId, rating: "negative" });
    }
    for (const evalId of [ea, eb]) {
      await execute(
        w,
        t,
        evalId,
        [...bulk, prompted.id].map((traceId) => ({ traceId, result: false, ms: 2 })),
      );
    }
    const negative = { rating: "negative", createdAt };

    await assignTracesToVersion(w.ctx, a?.id ?? "", 1, bulk);
    for (const traceId of [bulk[0] ?? "", bulk[94] ?? ""]) {
      expect(await labelCopies(t, traceId)).toEqual({ [ea]: negative, [eb]: NONE });
    }
    const result = await assignTracesToVersions(w.ctx, [prompted.id]);
    expect(result.assigned.get(prompted.id)).toBe(vb?.id);
    expect(await labelCopies(t, prompted.id)).toEqual({ [ea]: NONE, [eb]: negative });
    await expectFastStatsMatchJoin(w);
  });
});
