import { describe, expect, it } from "vitest";
import { PlaygroundResponse } from "../../src/api/evals/execution.schemas";
import { evalExecutions } from "../../src/db/schema";
import { createSandbox } from "../../src/sandbox";
import { loadQuickJsModuleForNode } from "../../src/sandbox/load-module-node";
import { agentSetup, storeAnswers } from "../evals/helpers";
import { createFeedback, createTrace } from "../helpers/agent-factories";
import { makeTestApp, readJson } from "../helpers/app";
import { createEval } from "../helpers/eval-factories";

const CODE = `function evaluate(trace) {
  const out = String(trace.output);
  if (out.includes("boom")) throw new Error("exploded");
  console.log("len", out.length);
  return { pass: /settings/i.test(out), score: 0.5, reason: "checked" };
}`;

async function setup(now?: () => number) {
  const sandbox = now ? createSandbox({ loadModule: loadQuickJsModuleForNode, now }) : undefined;
  const t = await makeTestApp(sandbox ? { sandbox } : {});
  const s = await agentSetup(t);
  const row = await createEval(t.db, s.ws, s.agent, { code: "function evaluate() { return false; }" });
  const as = (path: string, options: Parameters<typeof t.request>[1] = {}) =>
    t.request(path, { workspace: s.ws.id, ...options });
  return { ...t, ...s, row, as };
}

describe("POST /api/evals/:id/playground", () => {
  it("runs draft code on chosen traces, compares with labels and summarises (counted by hand)", async () => {
    const { as, row, db, ws, ctx } = await setup();
    const [pos, neg, neu, none, err] = await storeAnswers(ctx, ["Settings", "Settings", "nope", "Settings", "boom"]);
    await createFeedback(db, ws, { id: pos! }, { rating: "positive" }); // pass: a match
    await createFeedback(db, ws, { id: neg! }, { rating: "negative" }); // pass: a contradiction
    await createFeedback(db, ws, { id: neu! }, { rating: "neutral" }); // fail: neither
    await createFeedback(db, ws, { id: err! }, { rating: "positive" }); // error: neither
    const ids = [pos!, neg!, neu!, none!, err!];
    const res = await as(`/api/evals/${row.id}/playground`, { method: "POST", body: { code: CODE, trace_ids: ids } });
    expect(res.status).toBe(200);
    const body = PlaygroundResponse.parse(await readJson(res));
    expect(body.results.map((r) => [r.trace_id, r.human_feedback, r.pass, r.is_match, r.is_contradiction])).toEqual([
      [pos, "positive", true, true, false],
      [neg, "negative", true, false, true],
      [neu, "neutral", false, null, false],
      [none, null, true, null, null],
      [err, "positive", null, null, null],
    ]);
    expect(body.results[0]).toMatchObject({ score: 0.5, reason: "checked", console: "len 8", error: null });
    expect(body.results[4]).toMatchObject({ error_kind: "runtime", score: null, reason: null });
    expect(body.results[4]?.error).toMatch(/exploded/);
    const times = body.results.map((r) => r.execution_time_ms);
    expect(body.summary).toEqual({
      total: 5,
      matches: 1,
      contradictions: 1,
      errors: 1,
      avg_time_ms: times.reduce((a, b) => a + b, 0) / 5,
    });
    expect(await db.select().from(evalExecutions)).toEqual([]);
  });

  it("averages durations measured by the sandbox clock", async () => {
    let tick = 0;
    // Every reading of the clock is 4 ms after the previous one.
    const { as, row, ctx } = await setup(() => (tick += 4));
    const ids = await storeAnswers(ctx, ["Settings", "no"]);
    const body = PlaygroundResponse.parse(
      await readJson(
        await as(`/api/evals/${row.id}/playground`, { method: "POST", body: { code: CODE, trace_ids: ids } }),
      ),
    );
    const times = body.results.map((r) => r.execution_time_ms);
    expect(times.every((ms) => ms > 0 && ms % 4 === 0)).toBe(true);
    expect(body.summary.avg_time_ms).toBe((times[0]! + times[1]!) / 2);
  });

  it("defaults to the eval's stored code", async () => {
    const { as, row, ctx } = await setup();
    const ids = await storeAnswers(ctx, ["Settings"]);
    const body = PlaygroundResponse.parse(
      await readJson(await as(`/api/evals/${row.id}/playground`, { method: "POST", body: { trace_ids: ids } })),
    );
    expect(body.results[0]?.pass).toBe(false);
  });

  it("reports code that does not compile as an error on every trace", async () => {
    const { as, row, ctx } = await setup();
    const ids = await storeAnswers(ctx, ["a", "b"]);
    const body = PlaygroundResponse.parse(
      await readJson(
        await as(`/api/evals/${row.id}/playground`, { method: "POST", body: { code: "function (", trace_ids: ids } }),
      ),
    );
    expect(body.results.map((r) => r.error_kind)).toEqual(["syntax", "syntax"]);
    expect(body.summary).toMatchObject({ total: 2, errors: 2, matches: 0 });
  });

  it("refuses another workspace's traces and evals with 404, bad bodies with 400", async () => {
    const { as, row, db, deps, ctx } = await setup();
    const [mine] = await storeAnswers(ctx, ["Settings"]);
    const them = await agentSetup({ db, deps });
    const theirTrace = await createTrace(db, them.ws);
    const theirEval = await createEval(db, them.ws, them.agent);
    const path = `/api/evals/${row.id}/playground`;
    const foreignTrace = await as(path, { method: "POST", body: { code: CODE, trace_ids: [mine, theirTrace.id] } });
    expect(foreignTrace.status).toBe(404);
    const body = await readJson(foreignTrace);
    expect(body.error).toMatchObject({
      code: "NOT_FOUND",
      details: [{ path: "trace_ids", message: `trace ${theirTrace.id} not found` }],
    });
    const foreignEval = await as(`/api/evals/${theirEval.id}/playground`, {
      method: "POST",
      body: { trace_ids: [mine] },
    });
    expect(foreignEval.status).toBe(404);
    for (const bad of [
      { code: CODE, trace_ids: [] },
      { code: CODE, trace_ids: Array.from({ length: 51 }, (_, i) => `trace_${i}`) },
      { code: "", trace_ids: [mine] },
      { code: CODE },
    ]) {
      const res = await as(path, { method: "POST", body: bad });
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
    }
  });
});
