import { parseConfig } from "../src/config";
import type { Ctx } from "../src/context";
import { newId } from "../src/db/ids";
import { agents, agentVersions, type Job, workspaces } from "../src/db/schema";
import { createEval, executeEval } from "../src/evals";
import { jobHandlers } from "../src/job-handlers";
import { getJob, JobRunner, LocalJobQueue } from "../src/jobs";
import { storeTraces } from "../src/traces";
import { type CanonicalSpan, type CanonicalTrace, emptySpan } from "../src/traces/model";
import { benchDeps } from "./lib/deps";
import { openBenchDb } from "./lib/file-db";
import { report, round } from "./lib/measure";

const TRACE_COUNT = Number(process.argv[2] ?? 10_000);
const STORE_CHUNK = 500;

/** Flags failed tools, refusals and thin answers: a typical hand-written eval over the trace view. */
const TYPICAL_EVAL = `function evaluate(trace) {
  const failed = trace.tool_calls.filter((c) => c.error);
  if (failed.length > 0) return { pass: false, score: 0, reason: "tool " + failed[0].name + " failed: " + failed[0].error };
  const answer = String(trace.output ?? "");
  const question = trace.messages.find((m) => m.role === "user");
  if (/\\bI (can't|cannot)\\b/i.test(answer)) return { pass: false, score: 0.1, reason: "refused" };
  const ok = answer.length > 20 && question !== undefined;
  return { pass: ok, score: ok ? 1 : 0.3, reason: ok ? "answered" : "answer too short" };
}`;

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms).toISOString();

/** An agent run: one LLM call that requests a tool, the tool span, a final LLM answer (~3 KB). */
function agentTrace(i: number): CanonicalTrace {
  const question = `Customer ${i} asks: where do I change the billing address on invoice #${10_000 + i}?`;
  const answer =
    i % 5 === 0 ? "I can't help with billing." : `Open Settings → Billing and edit the address; invoice ${i} updates.`;
  const system = { role: "system", content: "You are a helpful assistant for Acme. Be concise and accurate." };
  const call = { id: `call-${i}`, name: "lookup_invoice", arguments: { invoice: 10_000 + i } };
  const llm = (id: string, start: number, extra: Partial<CanonicalSpan>): CanonicalSpan => ({
    ...emptySpan(id, "chat"),
    kind: "LLM",
    parent_span_id: `${i}-root`,
    started_at: at(start),
    ended_at: at(start + 800),
    model: "gpt-4.1-mini",
    tokens: { prompt: 420, completion: 60, total: 480 },
    ...extra,
  });
  const spans: CanonicalSpan[] = [
    { ...emptySpan(`${i}-root`, "agent"), kind: "AGENT", started_at: at(0), ended_at: at(2_500), input: question },
    llm(`${i}-l1`, 10, {
      input_messages: [system, { role: "user", content: question }],
      output_messages: [{ role: "assistant", content: null, tool_calls: [call] }],
    }),
    {
      ...emptySpan(`${i}-tool`, "lookup_invoice"),
      kind: "TOOL",
      parent_span_id: `${i}-root`,
      started_at: at(900),
      ended_at: at(1_100),
      input: { invoice: 10_000 + i },
      output: { status: "open", amount: 120 + i, address: "1 Main St" },
    },
    llm(`${i}-l2`, 1_200, {
      input_messages: [system, { role: "user", content: question }, { role: "tool", content: "open, 1 Main St" }],
      output_messages: [{ role: "assistant", content: answer }],
    }),
  ];
  return {
    external_id: `bench-${i}`,
    source: "otlp",
    name: "support-agent",
    started_at: null,
    ended_at: null,
    input: null,
    output: null,
    spans,
    metadata: { environment: "bench" },
    tags: ["bench"],
    user_id: `user-${i % 97}`,
    session_id: `session-${i}`,
  };
}

async function seed(ctx: Ctx): Promise<string> {
  const agentId = newId("agent");
  await ctx.db.insert(workspaces).values({ id: ctx.workspaceId, name: "bench" });
  await ctx.db
    .insert(agents)
    .values({ id: agentId, workspaceId: ctx.workspaceId, name: "Support", status: "confirmed" });
  const template = "You are a helpful assistant for {{company}}. Be concise and accurate.";
  await ctx.db
    .insert(agentVersions)
    .values({ id: newId("agentVersion"), agentId, version: 1, promptTemplate: template });
  for (let i = 0; i < TRACE_COUNT; i += STORE_CHUNK) {
    const batch = Array.from({ length: Math.min(STORE_CHUNK, TRACE_COUNT - i) }, (_, k) => agentTrace(i + k));
    await storeTraces(ctx, { traces: batch });
  }
  return agentId;
}

async function main(): Promise<void> {
  const { db, dispose } = await openBenchDb();
  const jobQueue = new LocalJobQueue();
  const deps = benchDeps(db, { config: parseConfig({}), jobQueue });
  const actor = { kind: "local", role: "owner", apiKeyId: undefined } as const;
  const ctx: Ctx = { db, workspaceId: newId("workspace"), actor, requestId: "bench", deps };
  const agentId = await seed(ctx);
  const row = await createEval(ctx, { agentId, name: "typical", code: TYPICAL_EVAL });

  let settle: (job: Job) => void = () => {};
  const settled = new Promise<Job>((resolve) => {
    settle = resolve;
  });
  const runner = new JobRunner(deps, {
    handlers: jobHandlers,
    sweep: false,
    yieldToEventLoop: () => new Promise((r) => setImmediate(r)),
    onSettled: (job) => settle(job),
  });
  jobQueue.attach(runner);
  runner.start();
  const started = performance.now();
  await executeEval(ctx, row.id, { target: "all" });
  const job = await settled;
  const seconds = (performance.now() - started) / 1000;
  await runner.stop(1_000);
  const finished = await getJob(ctx, job.id);
  const result = finished.result ?? {};
  dispose();
  report({
    name: "eval_execute",
    traces: TRACE_COUNT,
    seconds: round(seconds, 2),
    traces_per_sec: round(TRACE_COUNT / seconds, 1),
    status: finished.status,
    executed: result.executed,
    errors: result.errors,
  });
}

await main();
