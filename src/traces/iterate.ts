import { and, asc, eq, gt, gte, inArray } from "drizzle-orm";
import type { Ctx } from "../context";
import { agentVersions, traces } from "../db/schema";
import type { TraceSource } from "../db/schema/enums";

export interface TraceIdFilter {
  /** Traces assigned to any version of this agent. */
  agentId?: string | undefined;
  agentVersionId?: string | undefined;
  source?: TraceSource | undefined;
  /** Only traces imported at or after this instant (ISO-8601 UTC). */
  importedSince?: string | undefined;
  /** Rows read per query (default 500). */
  pageSize?: number | undefined;
}

/**
 * Every id of the workspace's traces matching `filter`, in id (creation) order, read page by page
 * with a keyset on id, so a job can walk any number of traces in bounded memory. Traces added while
 * walking may or may not be seen; none is seen twice.
 */
export async function* iterateTraceIds(ctx: Ctx, filter: TraceIdFilter = {}): AsyncGenerator<string> {
  const pageSize = Math.max(1, Math.min(filter.pageSize ?? 500, 5000));
  const versionsOfAgent = filter.agentId
    ? ctx.db.select({ id: agentVersions.id }).from(agentVersions).where(eq(agentVersions.agentId, filter.agentId))
    : undefined;
  let after: string | undefined;
  for (;;) {
    const rows = await ctx.db
      .select({ id: traces.id })
      .from(traces)
      .where(
        and(
          eq(traces.workspaceId, ctx.workspaceId),
          versionsOfAgent ? inArray(traces.agentVersionId, versionsOfAgent) : undefined,
          filter.agentVersionId ? eq(traces.agentVersionId, filter.agentVersionId) : undefined,
          filter.source ? eq(traces.source, filter.source) : undefined,
          filter.importedSince ? gte(traces.importedAt, filter.importedSince) : undefined,
          after ? gt(traces.id, after) : undefined,
        ),
      )
      .orderBy(asc(traces.id))
      .limit(pageSize);
    for (const row of rows) {
      yield row.id;
    }
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) {
      return;
    }
    after = last.id;
  }
}
