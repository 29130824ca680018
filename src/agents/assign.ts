import { and, desc, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Ctx } from "../context";
import { type AgentVersion, agents, agentVersions, type Trace, traces } from "../db/schema";
import { AppError, notFound } from "../errors";
import { syncExecutionLabels } from "../matrix/execution-labels";
import { getVersionByIdOrThrow, getVersionOrThrow, IDS_PER_QUERY, queryInChunks } from "./internal";
import { type CompiledTemplate, compileTemplate, matchCompiled } from "./template-match";

type Candidate = Pick<AgentVersion, "id" | "promptTemplate">;

/** Versions a system prompt may come from, in the order they are tried: active first, then newest. */
async function candidateVersions(ctx: Ctx): Promise<Candidate[]> {
  return ctx.db
    .select({ id: agentVersions.id, promptTemplate: agentVersions.promptTemplate })
    .from(agentVersions)
    .innerJoin(agents, eq(agents.id, agentVersions.agentId))
    .where(and(eq(agents.workspaceId, ctx.workspaceId), ne(agents.status, "archived")))
    .orderBy(desc(sql`${agentVersions.status} = 'active'`), desc(agentVersions.createdAt), desc(agentVersions.id));
}

/** Compiles each version's template at most once per call, and only when a trace needs it. */
function matcherCache(): (v: Candidate) => CompiledTemplate {
  const compiled = new Map<string, CompiledTemplate>();
  return (v) => {
    let m = compiled.get(v.id);
    if (!m) {
      m = compileTemplate(v.promptTemplate);
      compiled.set(v.id, m);
    }
    return m;
  };
}

/** Sets `agent_version_id` on the given traces of the workspace: chunked UPDATEs, run as one batch. */
function assignmentWrites(ctx: Ctx, byVersion: Map<string | null, string[]>, onlyUnassigned: boolean) {
  const now = ctx.deps.clock.now().toISOString();
  const writes: BatchItem<"sqlite">[] = [];
  for (const [versionId, ids] of byVersion) {
    for (let i = 0; i < ids.length; i += IDS_PER_QUERY) {
      const chunk = ids.slice(i, i + IDS_PER_QUERY);
      writes.push(
        ctx.db
          .update(traces)
          .set({ agentVersionId: versionId, assignmentStatus: versionId ? "assigned" : "unassigned", updatedAt: now })
          .where(
            and(
              // Unary `+`: probe the ids by primary key, not the workspace or unassigned index (see assignTracesToVersions).
              sql`+${traces.workspaceId} = ${ctx.workspaceId}`,
              inArray(traces.id, chunk),
              onlyUnassigned ? sql`+${traces.agentVersionId} is null` : undefined,
            ),
          ),
        // An agent-less label counts for the agent of the trace's version: its executions follow.
        syncExecutionLabels(ctx.db, ctx.workspaceId, chunk),
      );
    }
  }
  return writes;
}

async function runWrites(ctx: Ctx, writes: BatchItem<"sqlite">[]): Promise<void> {
  const [first, ...rest] = writes;
  if (first) {
    await ctx.db.batch([first, ...rest]);
  }
}

export interface AutoAssignResult {
  /** Trace id → the version it was assigned to. */
  assigned: Map<string, string>;
  /** Traces with a system prompt and no version that no template matched. */
  unmatched: string[];
}

type Pending = { id: string; systemPrompt: string | null };

/** Matches each trace's prompt against the candidate versions and assigns the matches (only if still unassigned). */
async function assignPending(ctx: Ctx, pending: readonly Pending[]): Promise<AutoAssignResult> {
  const result: AutoAssignResult = { assigned: new Map(), unmatched: [] };
  if (pending.length === 0) {
    return result;
  }
  const versions = await candidateVersions(ctx);
  const matcherOf = matcherCache();
  const byVersion = new Map<string | null, string[]>();
  for (const trace of pending) {
    const version = versions.find((v) => matchCompiled(matcherOf(v), trace.systemPrompt ?? "") !== null);
    if (!version) {
      result.unmatched.push(trace.id);
      continue;
    }
    result.assigned.set(trace.id, version.id);
    byVersion.set(version.id, [...(byVersion.get(version.id) ?? []), trace.id]);
  }
  await runWrites(ctx, assignmentWrites(ctx, byVersion, true));
  return result;
}

/**
 * Links traces to the agent version whose template their system prompt fills. Only traces of the
 * workspace with a system prompt and no version yet are considered; a manual assignment is never
 * overwritten.
 */
export async function assignTracesToVersions(ctx: Ctx, traceIds: readonly string[]): Promise<AutoAssignResult> {
  const pending = await queryInChunks(traceIds, (chunk) =>
    ctx.db
      .select({ id: traces.id, systemPrompt: traces.systemPrompt })
      .from(traces)
      .where(
        and(
          // Unary `+` keeps SQLite on the primary key: without ANALYZE statistics it would otherwise walk the
          // workspace (or unassigned) index, reading every trace of the workspace on each ingest.
          sql`+${traces.workspaceId} = ${ctx.workspaceId}`,
          inArray(traces.id, chunk),
          isNotNull(traces.systemPrompt),
          sql`+${traces.agentVersionId} is null`,
        ),
      ),
  );
  return assignPending(ctx, pending);
}

/**
 * Ingestion's variant of {@link assignTracesToVersions}: the caller has just written these traces and
 * passes the system prompt column it wrote, which saves reading it back. A trace that already has a
 * version keeps it (the UPDATE only touches unassigned rows), so no result is returned.
 */
export async function assignIngestedTraces(ctx: Ctx, written: readonly Pending[]): Promise<void> {
  await assignPending(
    ctx,
    written.filter((t) => t.systemPrompt !== null),
  );
}

export interface TraceAssignment {
  traceId: string;
  agentVersionId: string | null;
  agentId: string | null;
  assignmentStatus: Trace["assignmentStatus"];
}

/**
 * Assigns one trace to a version by hand (or unassigns it with null), replacing any assignment.
 * @throws NOT_FOUND for a trace or version outside the workspace.
 */
export async function assignTrace(ctx: Ctx, traceId: string, versionId: string | null): Promise<TraceAssignment> {
  const version = versionId === null ? null : await getVersionByIdOrThrow(ctx, versionId);
  const [updated] = await ctx.db.batch([
    ctx.db
      .update(traces)
      .set({
        agentVersionId: version?.id ?? null,
        assignmentStatus: version ? "assigned" : "unassigned",
        updatedAt: ctx.deps.clock.now().toISOString(),
      })
      .where(and(eq(traces.id, traceId), eq(traces.workspaceId, ctx.workspaceId)))
      .returning({ id: traces.id, assignmentStatus: traces.assignmentStatus }),
    syncExecutionLabels(ctx.db, ctx.workspaceId, [traceId]),
  ]);
  const [row] = updated;
  if (!row) {
    throw notFound("trace", traceId);
  }
  return {
    traceId: row.id,
    agentVersionId: version?.id ?? null,
    agentId: version?.agentId ?? null,
    assignmentStatus: row.assignmentStatus,
  };
}

/**
 * Assigns many traces to version `n` of an agent by hand, all or none.
 * @throws NOT_FOUND for the version, or listing the trace ids that are not in the workspace.
 */
export async function assignTracesToVersion(
  ctx: Ctx,
  agentId: string,
  n: number,
  traceIds: readonly string[],
): Promise<{ version: AgentVersion; assignedCount: number }> {
  const version = await getVersionOrThrow(ctx, agentId, n);
  const unique = [...new Set(traceIds)];
  const found = await queryInChunks(unique, (chunk) =>
    ctx.db
      .select({ id: traces.id })
      .from(traces)
      .where(and(eq(traces.workspaceId, ctx.workspaceId), inArray(traces.id, chunk))),
  );
  const known = new Set(found.map((t) => t.id));
  const missing = unique.filter((id) => !known.has(id));
  if (missing.length > 0) {
    throw new AppError("NOT_FOUND", `${missing.length} trace(s) not found`, [{ trace_ids: missing.slice(0, 50) }]);
  }
  await runWrites(ctx, assignmentWrites(ctx, new Map([[version.id, unique]]), false));
  return { version, assignedCount: unique.length };
}
