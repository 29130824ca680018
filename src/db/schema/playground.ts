import { relations } from "drizzle-orm";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { agents, agentVersions } from "./agents";
import { createdAt, updatedAt } from "./columns";
import { modelProvider } from "./enums";
import { workspaces } from "./tenancy";

/** A stored chat message; each assistant turn links to the trace it produced. */
export type PlaygroundMessage = Record<string, unknown>;

/** An interactive chat with an agent version; every turn is also stored as a trace. */
export const playgroundSessions = sqliteTable(
  "playground_sessions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    // The conversation stays readable after the version it started on is removed.
    agentVersionId: text("agent_version_id").references(() => agentVersions.id, { onDelete: "set null" }),
    messages: text("messages", { mode: "json" }).$type<PlaygroundMessage[]>().notNull().default([]),
    /** Values for the prompt's `{{variable}}` placeholders. */
    variables: text("variables", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    /** The session's virtual filesystem, path → content, for file tools. */
    files: text("files", { mode: "json" }).$type<Record<string, string>>().notNull().default({}),
    modelProvider: text("model_provider", { enum: modelProvider }).notNull(),
    modelId: text("model_id").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("playground_sessions_workspace_id_updated_at_idx").on(t.workspaceId, t.updatedAt),
    index("playground_sessions_agent_id_updated_at_idx").on(t.agentId, t.updatedAt),
    index("playground_sessions_agent_version_id_idx").on(t.agentVersionId),
  ],
);

export const playgroundSessionsRelations = relations(playgroundSessions, ({ one }) => ({
  workspace: one(workspaces, { fields: [playgroundSessions.workspaceId], references: [workspaces.id] }),
  agent: one(agents, { fields: [playgroundSessions.agentId], references: [agents.id] }),
  agentVersion: one(agentVersions, {
    fields: [playgroundSessions.agentVersionId],
    references: [agentVersions.id],
  }),
}));

export type PlaygroundSession = typeof playgroundSessions.$inferSelect;
export type NewPlaygroundSession = typeof playgroundSessions.$inferInsert;
