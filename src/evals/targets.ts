import { and, asc, count, eq, exists, gt, gte, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { agentVersions, feedback, traces } from "../db/schema";
import { inIdList } from "./internal";

/** Which of an agent's traces an execution runs on when no explicit ids are given. */
export const executionTargets = ["labeled", "all", "since"] as const;
export type ExecutionTarget = (typeof executionTargets)[number];

export type TargetSet =
  | { kind: "ids"; traceIds: readonly string[] }
  | { kind: "labeled" }
  | { kind: "all" }
  | { kind: "since"; since: string };

/** A trace to execute on; its stored size lets the job keep a batch's documents bounded in memory. */
export interface TargetTrace {
  id: string;
  payloadBytes: number;
}

const targetColumns = { id: traces.id, payloadBytes: traces.payloadBytes };

/**
 * The agent's traces of a target set, as one condition on `traces`:
 * - labeled: a label names the agent, or names none and the trace is assigned to one of its versions
 *   (the agents' and labels' rule);
 * - all: assigned to one of the agent's versions; since: those imported at or after `since`.
 */
function agentTargetCondition(ctx: Ctx, agentId: string, target: Exclude<TargetSet, { kind: "ids" }>): SQL {
  const versionIds = ctx.db
    .select({ id: agentVersions.id })
    .from(agentVersions)
    .where(eq(agentVersions.agentId, agentId));
  const assigned = inArray(traces.agentVersionId, versionIds);
  if (target.kind === "all") {
    return assigned;
  }
  if (target.kind === "since") {
    return and(assigned, gte(traces.importedAt, target.since)) ?? assigned;
  }
  const labelOfAgent = or(eq(feedback.agentId, agentId), and(isNull(feedback.agentId), assigned));
  return exists(
    ctx.db
      .select({ one: sql`1` })
      .from(feedback)
      .where(and(eq(feedback.traceId, traces.id), labelOfAgent)),
  );
}

/** How many traces a target set holds now (explicit ids: the distinct ids given). */
export async function countTargetTraces(ctx: Ctx, agentId: string, target: TargetSet): Promise<number> {
  if (target.kind === "ids") {
    return new Set(target.traceIds).size;
  }
  const [row] = await ctx.db
    .select({ n: count() })
    .from(traces)
    .where(and(eq(traces.workspaceId, ctx.workspaceId), agentTargetCondition(ctx, agentId, target)));
  return row?.n ?? 0;
}

// Ids per lookup: one JSON parameter each, so this only bounds the statement's size.
const IDS_PER_LOOKUP = 1_000;

/** The workspace's traces among `ids` (distinct, in the order given) and the ids that are not (reported, never run). */
export async function resolveTraceIds(
  ctx: Ctx,
  ids: readonly string[],
): Promise<{ found: TargetTrace[]; missingIds: string[] }> {
  const distinct = [...new Set(ids)];
  const rows: TargetTrace[] = [];
  for (let i = 0; i < distinct.length; i += IDS_PER_LOOKUP) {
    const chunk = distinct.slice(i, i + IDS_PER_LOOKUP);
    rows.push(
      ...(await ctx.db
        .select(targetColumns)
        .from(traces)
        .where(and(eq(traces.workspaceId, ctx.workspaceId), inIdList(traces.id, chunk)))),
    );
  }
  const byId = new Map(rows.map((row) => [row.id, row]));
  const found: TargetTrace[] = [];
  const missingIds: string[] = [];
  for (const id of distinct) {
    const row = byId.get(id);
    if (row) {
      found.push(row);
    } else {
      missingIds.push(id);
    }
  }
  return { found, missingIds };
}

/** Pages of an agent's target traces in id order (keyset), so a large set is never held at once. */
export async function* iterateAgentTargets(
  ctx: Ctx,
  agentId: string,
  target: Exclude<TargetSet, { kind: "ids" }>,
  pageSize: number,
): AsyncGenerator<TargetTrace[]> {
  const condition = agentTargetCondition(ctx, agentId, target);
  let afterId: string | undefined;
  for (;;) {
    const page = await ctx.db
      .select(targetColumns)
      .from(traces)
      .where(and(eq(traces.workspaceId, ctx.workspaceId), condition, afterId ? gt(traces.id, afterId) : undefined))
      .orderBy(asc(traces.id))
      .limit(pageSize);
    if (page.length > 0) {
      yield page;
    }
    const last = page.at(-1);
    if (!last || page.length < pageSize) {
      return;
    }
    afterId = last.id;
  }
}
