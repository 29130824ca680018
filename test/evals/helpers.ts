import { setImmediate as nextTurn } from "node:timers/promises";
import { eq } from "drizzle-orm";
import type { Ctx } from "../../src/context";
import type { Database } from "../../src/db/client";
import { type Job, jobs } from "../../src/db/schema";
import { storeTraces } from "../../src/traces";
import type { CanonicalTrace } from "../../src/traces/model";
import { createAgent, createVersion } from "../helpers/agent-factories";
import { createWorkspace } from "../helpers/factories";
import { chatTrace, ctxFor, llmSpan } from "../traces/helpers";

export { ctxFor };

/** A chat trace whose assistant answers `answer`; its system prompt matches the factory version's template. */
export function answerTrace(externalId: string, answer: string, over: Partial<CanonicalTrace> = {}): CanonicalTrace {
  const output = [{ role: "assistant", content: answer }];
  return chatTrace(externalId, { spans: [llmSpan(`${externalId}-s1`, { output_messages: output })], ...over });
}

/** A workspace, an agent with an active version (template "You are a helpful assistant for {{company}}."), a ctx. */
export async function agentSetup(t: { db: Database; deps: Ctx["deps"] }) {
  const ws = await createWorkspace(t.db);
  const agent = await createAgent(t.db, ws);
  const version = await createVersion(t.db, agent, { active: true });
  return { ws, agent, version, ctx: ctxFor(t, ws.id) };
}

/**
 * Stores `answers.length` traces through the real storage service (they are assigned to the agent's
 * version by their system prompt) and returns their ids in order.
 */
export async function storeAnswers(ctx: Ctx, answers: string[], prefix = "t"): Promise<string[]> {
  const result = await storeTraces(ctx, { traces: answers.map((a, i) => answerTrace(`${prefix}-${i}`, a)) });
  const byExternal = new Map(result.stored.map((s) => [s.external_id, s.id]));
  return answers.map((_, i) => byExternal.get(`${prefix}-${i}`)!);
}

const TERMINAL = new Set(["completed", "failed", "cancelled"]);

/** Lets the runner work (one event-loop turn per poll) until the job ends. */
export async function waitForJob(db: Database, jobId: string, maxPolls = 200_000): Promise<Job> {
  for (let i = 0; i < maxPolls; i++) {
    const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
    if (job && TERMINAL.has(job.status)) {
      return job;
    }
    await nextTurn();
  }
  throw new Error(`job ${jobId} did not finish`);
}
