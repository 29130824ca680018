import { relations } from "drizzle-orm";
import { type AnySQLiteColumn, index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns";
import { agentStatus, agentVersionSource, agentVersionStatus } from "./enums";
import { evalCandidates } from "./eval-candidates";
import { evals } from "./evals";
import { feedback } from "./feedback";
import { agentFunctions } from "./functions";
import { gepaRuns } from "./gepa";
import { playgroundSessions } from "./playground";
import { tasksets } from "./tasksets";
import { workspaces } from "./tenancy";
import { agentTools } from "./tools";
import { traces } from "./traces";

/**
 * An agent groups the traces of one prompt family. Names are unique per workspace, archived agents
 * included: archiving keeps the name taken, and services report the clash as ALREADY_EXISTS.
 */
export const agents = sqliteTable(
  "agents",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description"),
    status: text("status", { enum: agentStatus }).notNull().default("discovered"),
    // Lazy and typed: agents and agent_versions reference each other.
    activeVersionId: text("active_version_id").references((): AnySQLiteColumn => agentVersions.id, {
      onDelete: "set null",
    }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("agents_workspace_id_name_idx").on(t.workspaceId, t.name),
    index("agents_workspace_id_status_idx").on(t.workspaceId, t.status),
    index("agents_active_version_id_idx").on(t.activeVersionId),
  ],
);

/** Numbered prompt versions of an agent; `{{variable}}` placeholders are filled at run time. */
export const agentVersions = sqliteTable(
  "agent_versions",
  {
    id: text("id").primaryKey(),
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    promptTemplate: text("prompt_template").notNull(),
    variables: text("variables", { mode: "json" }).$type<string[]>().notNull().default([]),
    source: text("source", { enum: agentVersionSource }).notNull().default("manual"),
    parentVersionId: text("parent_version_id").references((): AnySQLiteColumn => agentVersions.id, {
      onDelete: "set null",
    }),
    status: text("status", { enum: agentVersionStatus }).notNull().default("candidate"),
    accuracy: real("accuracy"),
    createdAt: createdAt(),
    promotedAt: text("promoted_at"),
  },
  (t) => [
    uniqueIndex("agent_versions_agent_id_version_idx").on(t.agentId, t.version),
    index("agent_versions_agent_id_status_idx").on(t.agentId, t.status),
    index("agent_versions_parent_version_id_idx").on(t.parentVersionId),
  ],
);

export const agentsRelations = relations(agents, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [agents.workspaceId], references: [workspaces.id] }),
  versions: many(agentVersions, { relationName: "agentVersions" }),
  activeVersion: one(agentVersions, {
    fields: [agents.activeVersionId],
    references: [agentVersions.id],
    relationName: "activeVersion",
  }),
  evals: many(evals),
  evalCandidates: many(evalCandidates),
  feedback: many(feedback),
  tasksets: many(tasksets),
  playgroundSessions: many(playgroundSessions),
  gepaRuns: many(gepaRuns),
  tools: many(agentTools),
  functions: many(agentFunctions),
}));

export const agentVersionsRelations = relations(agentVersions, ({ one, many }) => ({
  agent: one(agents, {
    fields: [agentVersions.agentId],
    references: [agents.id],
    relationName: "agentVersions",
  }),
  activeFor: many(agents, { relationName: "activeVersion" }),
  parentVersion: one(agentVersions, {
    fields: [agentVersions.parentVersionId],
    references: [agentVersions.id],
    relationName: "parentVersion",
  }),
  childVersions: many(agentVersions, { relationName: "parentVersion" }),
  traces: many(traces),
}));

export type Agent = typeof agents.$inferSelect;
export type NewAgent = typeof agents.$inferInsert;
export type AgentVersion = typeof agentVersions.$inferSelect;
export type NewAgentVersion = typeof agentVersions.$inferInsert;
