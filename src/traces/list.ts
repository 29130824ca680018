import { and, count, desc, eq, gte, inArray, lte, not, or, type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context";
import { agentVersions, feedback, traces } from "../db/schema";
import type { FeedbackRating, TraceSource } from "../db/schema/enums";
import { labelOfTrace, type TraceRow, toTraceRow, traceRowColumns, versionOfTrace } from "./rows";

/** A place in the list (newest import first): the last row of the previous page. */
export interface TracePosition {
  importedAt: string;
  id: string;
}

export interface ListTracesInput {
  /** Traces assigned to one of the agent's versions, or labelled for the agent. */
  agentId?: string | undefined;
  agentVersionId?: string | undefined;
  source?: TraceSource | undefined;
  ratings?: FeedbackRating[] | undefined;
  hasFeedback?: boolean | undefined;
  /** Inclusive bounds (ISO-8601 UTC) on `dateField`. */
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
  dateField?: "imported_at" | "started_at" | undefined;
  /** Free text searched in the input and output previews (case-insensitive for ASCII). */
  q?: string | undefined;
  after?: TracePosition | undefined;
  limit: number;
}

export interface TracePage {
  items: TraceRow[];
  hasMore: boolean;
  /** Traces matching the filters, over all pages. */
  totalCount: number;
}

/** `%`, `_` and the escape character itself match literally. */
function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/** The trace has a label (matching `condition`); the one-label-per-trace index makes this a lookup. */
function hasLabel(condition?: SQL): SQL {
  return sql`exists (select 1 from ${feedback} where ${feedback.traceId} = ${traces.id} and ${condition ?? sql`1`})`;
}

function filterConditions(ctx: Ctx, input: ListTracesInput): (SQL | undefined)[] {
  const dateColumn = input.dateField === "started_at" ? traces.startedAt : traces.importedAt;
  const pattern = input.q ? containsPattern(input.q) : undefined;
  const versionsOf = (agentId: string) =>
    ctx.db.select({ id: agentVersions.id }).from(agentVersions).where(eq(agentVersions.agentId, agentId));
  return [
    eq(traces.workspaceId, ctx.workspaceId),
    input.agentId
      ? or(inArray(traces.agentVersionId, versionsOf(input.agentId)), hasLabel(eq(feedback.agentId, input.agentId)))
      : undefined,
    input.agentVersionId ? eq(traces.agentVersionId, input.agentVersionId) : undefined,
    input.source ? eq(traces.source, input.source) : undefined,
    input.ratings?.length ? hasLabel(inArray(feedback.rating, input.ratings)) : undefined,
    input.hasFeedback === true ? hasLabel() : undefined,
    input.hasFeedback === false ? not(hasLabel()) : undefined,
    input.dateFrom ? gte(dateColumn, input.dateFrom) : undefined,
    input.dateTo ? lte(dateColumn, input.dateTo) : undefined,
    pattern
      ? sql`(${traces.inputPreview} like ${pattern} escape '\\' or ${traces.outputPreview} like ${pattern} escape '\\')`
      : undefined,
  ];
}

/**
 * A page of the workspace's traces, newest import first, with `id` breaking ties so rows imported in
 * the same millisecond are neither lost nor repeated across pages. The page and the total are read
 * in one batch, so they agree.
 */
export async function listTraces(ctx: Ctx, input: ListTracesInput): Promise<TracePage> {
  const where = and(...filterConditions(ctx, input));
  const after = input.after;
  const [rows, [total]] = await ctx.db.batch([
    ctx.db
      .select(traceRowColumns)
      .from(traces)
      .leftJoin(agentVersions, versionOfTrace)
      .leftJoin(feedback, labelOfTrace)
      .where(
        and(where, after ? sql`(${traces.importedAt}, ${traces.id}) < (${after.importedAt}, ${after.id})` : undefined),
      )
      .orderBy(desc(traces.importedAt), desc(traces.id))
      .limit(input.limit + 1),
    ctx.db.select({ n: count() }).from(traces).where(where),
  ]);
  return {
    items: rows.slice(0, input.limit).map(toTraceRow),
    hasMore: rows.length > input.limit,
    totalCount: total?.n ?? 0,
  };
}
