import { and, eq, exists, gte, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { alias, type SQLiteSelect } from "drizzle-orm/sqlite-core";
import type { Ctx } from "../context";
import { agentVersions, evalExecutions, feedback, traces } from "../db/schema";
import type { FeedbackRating } from "../db/schema/enums";

// The SQL pieces the matrix, its stats and the monitor share: which labels belong to an agent, one
// LEFT JOIN of eval_executions per requested eval, and what "contradicts" and "errored" mean in SQL.

export const matrixFilterModes = ["all", "contradictions_only", "errors_only"] as const;
export type MatrixFilterMode = (typeof matrixFilterModes)[number];

export interface MatrixFilters {
  mode: MatrixFilterMode;
  ratings?: FeedbackRating[] | undefined;
  /** Inclusive bounds on the label's created_at (ISO-8601). */
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
}

/** eval_executions under its own name, one per requested eval (x0, x1 …). */
export function executionAlias(index: number) {
  return alias(evalExecutions, `x${index}`);
}
export type ExecutionAlias = ReturnType<typeof executionAlias>;

/**
 * Labels that count for an agent (the agents' and labels' rule): those naming it, and agent-less ones
 * on a trace assigned to one of its versions. The second branch runs only for agent-less labels.
 */
export function labelsOfAgent(ctx: Ctx, agentId: string): SQL {
  const assignedToAgent = ctx.db
    .select({ one: sql`1` })
    .from(traces)
    .innerJoin(agentVersions, eq(agentVersions.id, traces.agentVersionId))
    .where(
      and(eq(traces.id, feedback.traceId), eq(traces.workspaceId, ctx.workspaceId), eq(agentVersions.agentId, agentId)),
    );
  return and(
    eq(feedback.workspaceId, ctx.workspaceId),
    or(eq(feedback.agentId, agentId), and(isNull(feedback.agentId), exists(assignedToAgent))),
  ) as SQL;
}

// Constants are written into the SQL rather than bound: a matrix of 10 evals would otherwise bind
// dozens of parameters, and D1 accepts at most 100 per statement.

/** The eval returned a verdict that disagrees with the human label; neutral labels never contradict. */
export function contradicts(x: ExecutionAlias): SQL {
  return sql`((${x.predictedResult} = 0 and ${feedback.rating} = 'positive') or (${x.predictedResult} = 1 and ${feedback.rating} = 'negative'))`;
}

/** An execution exists but has no verdict: the sandbox failed (its `error` says why). */
export function errored(x: ExecutionAlias): SQL {
  return sql`(${x.traceId} is not null and ${x.predictedResult} is null)`;
}

/** Rows of the matrix: the agent's labels narrowed by rating, date and the contradiction/error mode. */
export function matrixRowsWhere(ctx: Ctx, agentId: string, filters: MatrixFilters, xs: ExecutionAlias[]): SQL {
  const ratings = filters.ratings?.length ? inArray(feedback.rating, filters.ratings) : undefined;
  let mode: SQL | undefined;
  if (filters.mode === "contradictions_only") {
    mode = or(...xs.map(contradicts));
  } else if (filters.mode === "errors_only") {
    mode = or(...xs.map(errored));
  }
  return and(
    labelsOfAgent(ctx, agentId),
    ratings,
    filters.dateFrom ? gte(feedback.createdAt, filters.dateFrom) : undefined,
    filters.dateTo ? lte(feedback.createdAt, filters.dateTo) : undefined,
    mode,
  ) as SQL;
}

/** Adds one LEFT JOIN per eval: `xs[i]` is eval `evalIds[i]`'s current execution on the row's trace. */
export function joinExecutions<Q extends SQLiteSelect>(query: Q, xs: ExecutionAlias[], evalIds: string[]): Q {
  let joined = query;
  xs.forEach((x, i) => {
    // The selected fields are fixed before the joins, so a join never changes the row type; Drizzle's
    // types only track joins on static chains, hence the cast.
    joined = joined.leftJoin(x, and(eq(x.traceId, feedback.traceId), eq(x.evalId, evalIds[i] ?? ""))) as unknown as Q;
  });
  return joined;
}
