import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { agentVersions, evals, traces } from "../db/schema";
import { createJob } from "../jobs";
import type { ExecuteEvalPayload } from "./execute-job";
import { MAX_EXECUTE_TRACE_IDS } from "./execute-job";
import { queryInChunks } from "./internal";

/** (eval, trace) pairs: the auto-execute evals of each trace's agent (through its assigned version). */
async function findAutoExecutePairs(ctx: Ctx, traceIds: readonly string[]) {
  return queryInChunks([...new Set(traceIds)], (chunk) =>
    ctx.db
      .select({ evalId: evals.id, agentId: evals.agentId, traceId: traces.id })
      .from(traces)
      .innerJoin(agentVersions, eq(agentVersions.id, traces.agentVersionId))
      .innerJoin(
        evals,
        and(
          eq(evals.agentId, agentVersions.agentId),
          eq(evals.workspaceId, ctx.workspaceId),
          eq(evals.autoExecuteEnabled, true),
          ne(evals.status, "archived"),
        ),
      )
      // Unary `+` keeps SQLite on the primary key: without ANALYZE statistics it would otherwise walk the
      // workspace index, reading every trace of the workspace on each ingest.
      .where(and(sql`+${traces.workspaceId} = ${ctx.workspaceId}`, inArray(traces.id, chunk))),
  );
}

/**
 * Starts one `execute` job per auto-execute eval for the given traces that belong to its agent
 * (via agent_version → agent). Called after traces are stored; traces of no agent, and agents with
 * no such eval, start nothing (one query per 90 traces). Forced, because a re-imported trace may
 * have changed since its last execution. Returns the ids of the jobs created.
 */
export async function scheduleAutoExecution(ctx: Ctx, traceIds: readonly string[]): Promise<string[]> {
  if (traceIds.length === 0) {
    return [];
  }
  const byEval = new Map<string, { agentId: string; traceIds: string[] }>();
  for (const pair of await findAutoExecutePairs(ctx, traceIds)) {
    const entry = byEval.get(pair.evalId) ?? { agentId: pair.agentId, traceIds: [] };
    entry.traceIds.push(pair.traceId);
    byEval.set(pair.evalId, entry);
  }
  const jobIds: string[] = [];
  for (const [evalId, { agentId, traceIds: ids }] of byEval) {
    for (let i = 0; i < ids.length; i += MAX_EXECUTE_TRACE_IDS) {
      const payload: ExecuteEvalPayload = {
        eval_id: evalId,
        trace_ids: ids.slice(i, i + MAX_EXECUTE_TRACE_IDS),
        target: "labeled",
        force: true,
      };
      const job = await createJob(ctx, { type: "execute", payload, agentId, triggerEvent: "traces_stored" });
      jobIds.push(job.id);
    }
  }
  return jobIds;
}
