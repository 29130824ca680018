import { eq, sql } from "drizzle-orm";
import type { Database } from "../../src/db/client";
import { newId } from "../../src/db/ids";
import {
  type Agent,
  type AgentVersion,
  agents,
  agentVersions,
  type Feedback,
  feedback,
  feedbackHistory,
  type NewAgent,
  type NewAgentVersion,
  type NewFeedback,
  type NewTool,
  type NewTrace,
  type Tool,
  type Trace,
  tools,
  traces,
} from "../../src/db/schema";
import { syncExecutionLabels } from "../../src/matrix/execution-labels";

// Rows for the labels / agents / tools tests, written directly (not through services) so a test
// can set up any state. A trace needs only its required columns: trace storage is another area.

type WorkspaceRef = { id: string };

export async function createTrace(db: Database, ws: WorkspaceRef, over: Partial<NewTrace> = {}): Promise<Trace> {
  const id = newId("trace");
  const [row] = await db
    .insert(traces)
    .values({ id, workspaceId: ws.id, source: "api", externalId: `ext-${id}`, ...over })
    .returning();
  return row!;
}

export async function createAgent(db: Database, ws: WorkspaceRef, over: Partial<NewAgent> = {}): Promise<Agent> {
  const id = newId("agent");
  const [row] = await db
    .insert(agents)
    .values({ id, workspaceId: ws.id, name: `Agent ${id}`, status: "confirmed", ...over })
    .returning();
  return row!;
}

/** Version max+1 of `agent`; `active: true` also makes it the agent's active version. */
export async function createVersion(
  db: Database,
  agent: { id: string },
  over: Partial<NewAgentVersion> & { active?: boolean } = {},
): Promise<AgentVersion> {
  const { active, ...rest } = over;
  const [row] = await db
    .insert(agentVersions)
    .values({
      id: newId("agentVersion"),
      agentId: agent.id,
      version: sql`(select coalesce(max(version), 0) + 1 from agent_versions where agent_id = ${agent.id})`,
      promptTemplate: "You are a helpful assistant for {{company}}.",
      variables: ["company"],
      status: active ? "active" : "candidate",
      ...rest,
    })
    .returning();
  if (active) {
    await db.update(agents).set({ activeVersionId: row!.id }).where(eq(agents.id, agent.id));
  }
  return row!;
}

/** A label with the "created" history row the service would have written with it. */
export async function createFeedback(
  db: Database,
  ws: WorkspaceRef,
  trace: { id: string },
  over: Partial<NewFeedback> = {},
): Promise<Feedback> {
  const [row] = await db
    .insert(feedback)
    .values({
      id: newId("feedback"),
      workspaceId: ws.id,
      traceId: trace.id,
      rating: "positive",
      createdBy: "test",
      ...over,
    })
    .returning();
  await db.insert(feedbackHistory).values({
    id: newId("feedbackHistory"),
    workspaceId: ws.id,
    feedbackId: row!.id,
    traceId: trace.id,
    change: "created",
    ratingAfter: row!.rating,
    notesAfter: row!.notes,
    actor: row!.createdBy,
    createdAt: row!.createdAt,
  });
  // As the label service does: executions already on the trace copy the new label.
  await syncExecutionLabels(db, ws.id, [trace.id]);
  return row!;
}

/** A workspace's tool, or a built-in one when `ws` is null. */
export async function createTool(db: Database, ws: WorkspaceRef | null, over: Partial<NewTool> = {}): Promise<Tool> {
  const id = ws ? newId("tool") : `builtin_${newId("tool").slice(5)}`;
  const [row] = await db
    .insert(tools)
    .values({
      id,
      workspaceId: ws?.id ?? null,
      name: `t_${id.slice(-12)}`,
      description: "A test tool",
      parametersSchema: { type: "object", properties: { q: { type: "string" } } },
      handlerKey: ws ? null : "test_handler",
      ...over,
    })
    .returning();
  return row!;
}
