import { and, asc, eq, gt, isNull, or } from "drizzle-orm";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { type Tool, tools } from "../db/schema";
import type { ToolCategory } from "../db/schema/enums";
import { alreadyExists, forbidden, notFound } from "../errors";

export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

export interface ListToolsInput {
  category?: ToolCategory | undefined;
  afterId: string | undefined;
  limit: number;
}

export interface CreateToolInput {
  name: string;
  description: string;
  parametersSchema: Record<string, unknown>;
  category?: ToolCategory | undefined;
}

/** SQL: the tools a workspace sees, the built-in ones (no workspace) and its own. */
export function visibleTo(ctx: Ctx) {
  return or(isNull(tools.workspaceId), eq(tools.workspaceId, ctx.workspaceId));
}

export async function getVisibleToolOrThrow(ctx: Ctx, toolId: string): Promise<Tool> {
  const [row] = await ctx.db
    .select()
    .from(tools)
    .where(and(eq(tools.id, toolId), visibleTo(ctx)))
    .limit(1);
  if (!row) {
    throw notFound("tool", toolId);
  }
  return row;
}

/** Built-in and own tools, by id. */
export async function listTools(ctx: Ctx, input: ListToolsInput): Promise<Page<Tool>> {
  const rows = await ctx.db
    .select()
    .from(tools)
    .where(
      and(
        visibleTo(ctx),
        input.category ? eq(tools.category, input.category) : undefined,
        input.afterId ? gt(tools.id, input.afterId) : undefined,
      ),
    )
    .orderBy(asc(tools.id))
    .limit(input.limit + 1);
  return { items: rows.slice(0, input.limit), hasMore: rows.length > input.limit };
}

export async function getTool(ctx: Ctx, toolId: string): Promise<Tool> {
  return getVisibleToolOrThrow(ctx, toolId);
}

/**
 * A tool of the workspace: a declaration (name, description, JSON Schema of its arguments) with
 * no built-in handler.
 * @throws ALREADY_EXISTS when a visible tool (own or built-in) already has the name.
 */
export async function createTool(ctx: Ctx, input: CreateToolInput): Promise<Tool> {
  const [clash] = await ctx.db
    .select({ id: tools.id })
    .from(tools)
    .where(and(eq(tools.name, input.name), visibleTo(ctx)))
    .limit(1);
  if (clash) {
    throw alreadyExists("tool", `named "${input.name}"`);
  }
  const now = ctx.deps.clock.now();
  const [row] = await ctx.db
    .insert(tools)
    .values({
      id: newId("tool", now.getTime()),
      workspaceId: ctx.workspaceId,
      name: input.name,
      description: input.description,
      parametersSchema: input.parametersSchema,
      handlerKey: null,
      category: input.category ?? "general",
      createdAt: now.toISOString(),
    })
    .returning();
  if (!row) {
    throw new Error("insert returned no tool row");
  }
  return row;
}

/**
 * Deletes one of the workspace's tools (detaching it from every agent).
 * @throws NOT_FOUND for another workspace's tool, FORBIDDEN for a built-in one.
 */
export async function deleteTool(ctx: Ctx, toolId: string): Promise<void> {
  const tool = await getVisibleToolOrThrow(ctx, toolId);
  if (tool.workspaceId === null) {
    throw forbidden(`Tool ${toolId} is built in and read-only`);
  }
  await ctx.db.delete(tools).where(and(eq(tools.id, tool.id), eq(tools.workspaceId, ctx.workspaceId)));
}
