import { and, eq, sql } from "drizzle-orm";
import { getAgentOrThrow } from "../agents";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type Eval, evalExecutions, evals, type NewEval } from "../db/schema";
import { notFound } from "../errors";
import { assertEvalCompiles } from "./check-source";
import { getEvalOrThrow } from "./internal";

export interface CreateEvalInput {
  agentId: string;
  name: string;
  code: string;
  description?: string | null | undefined;
  modelUsed?: string | null | undefined;
}

export interface UpdateEvalInput {
  name?: string | undefined;
  description?: string | null | undefined;
  code?: string | undefined;
  modelUsed?: string | null | undefined;
}

/**
 * A new `draft` eval of an agent. Its version (the agent's highest + 1) is computed inside the
 * INSERT, so concurrent creates never take the same number.
 * @throws NOT_FOUND for an agent outside the workspace; VALIDATION_ERROR when the code does not compile.
 */
export async function createEval(ctx: Ctx, input: CreateEvalInput): Promise<Eval> {
  const agent = await getAgentOrThrow(ctx, input.agentId);
  await assertEvalCompiles(ctx, input.code);
  const now = ctx.deps.clock.now();
  const [row] = await ctx.db
    .insert(evals)
    .values({
      id: newId("eval", now.getTime()),
      workspaceId: ctx.workspaceId,
      agentId: agent.id,
      version: sql`(select coalesce(max(e.version), 0) + 1 from evals e where e.agent_id = ${agent.id})`,
      name: input.name,
      description: input.description ?? null,
      code: input.code,
      modelUsed: input.modelUsed ?? null,
      status: "draft",
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    })
    .returning();
  if (!row) {
    throw new Error("insert returned no eval row");
  }
  return row;
}

export async function getEval(ctx: Ctx, evalId: string): Promise<Eval> {
  return getEvalOrThrow(ctx, evalId);
}

/**
 * What a code change invalidates: every metric measured the old code, and so did every
 * execution (deleted in the same batch; the matrix reads executions as current predictions).
 */
const RESET_ON_CODE_CHANGE = {
  accuracy: null,
  precision: null,
  recall: null,
  f1Score: null,
  cohenKappa: null,
  coverage: null,
  falseFailureRate: null,
  confusionMatrix: null,
  executionCount: 0,
  contradictionCount: 0,
  errorCount: 0,
  metricsUpdatedAt: null,
  testResults: null,
} satisfies Partial<NewEval>;

/**
 * Renames, re-describes or re-codes an eval. New code is compiled first (400 if it does not), then
 * stored together with the metric reset and the deletion of the eval's executions, in one batch.
 * Code identical to the stored code is not a change.
 */
export async function updateEval(ctx: Ctx, evalId: string, input: UpdateEvalInput): Promise<Eval> {
  const current = await getEvalOrThrow(ctx, evalId);
  const newCode = input.code !== undefined && input.code !== current.code ? input.code : undefined;
  if (newCode !== undefined) {
    await assertEvalCompiles(ctx, newCode);
  }
  const update = ctx.db
    .update(evals)
    .set({
      name: input.name,
      description: input.description,
      modelUsed: input.modelUsed,
      updatedAt: ctx.deps.clock.now().toISOString(),
      ...(newCode === undefined ? {} : { code: newCode, ...RESET_ON_CODE_CHANGE }),
    })
    .where(and(eq(evals.id, evalId), eq(evals.workspaceId, ctx.workspaceId)))
    .returning();
  const clearExecutions = ctx.db
    .delete(evalExecutions)
    .where(and(eq(evalExecutions.evalId, evalId), eq(evalExecutions.workspaceId, ctx.workspaceId)));
  const [row] = newCode === undefined ? await update : (await ctx.db.batch([update, clearExecutions]))[0];
  if (!row) {
    throw notFound("eval", evalId);
  }
  return row;
}

/** Hard delete; executions, snapshots and alerts go with it (foreign-key cascades). */
export async function deleteEval(ctx: Ctx, evalId: string): Promise<void> {
  const deleted = await ctx.db
    .delete(evals)
    .where(and(eq(evals.id, evalId), eq(evals.workspaceId, ctx.workspaceId)))
    .returning({ id: evals.id });
  if (deleted.length === 0) {
    throw notFound("eval", evalId);
  }
}
