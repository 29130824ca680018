import { relations } from "drizzle-orm";
import { index, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agents } from "./agents";
import { createdAt } from "./columns";
import { toolCategory } from "./enums";
import { workspaces } from "./tenancy";

/**
 * The tool catalogue. Built-in tools have no workspace (visible to every workspace, read-only) and
 * stable ids such as `email_search`; a workspace's own tools carry its id (the original's global
 * table let any workspace see and change every tool).
 */
export const tools = sqliteTable(
  "tools",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    description: text("description").notNull(),
    /** JSON Schema of the tool's arguments. */
    parametersSchema: text("parameters_schema", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Key into the host's handler registry: the code that runs the tool; null for a workspace's declared tools. */
    handlerKey: text("handler_key"),
    category: text("category", { enum: toolCategory }).notNull().default("general"),
    createdAt: createdAt(),
  },
  (t) => [
    index("tools_category_idx").on(t.category),
    // NULLs are distinct in a unique index: built-in names are not constrained by workspace names.
    uniqueIndex("tools_workspace_id_name_idx").on(t.workspaceId, t.name),
  ],
);

/** Tools attached to an agent, with per-agent configuration. */
export const agentTools = sqliteTable(
  "agent_tools",
  {
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    toolId: text("tool_id")
      .notNull()
      .references(() => tools.id, { onDelete: "cascade" }),
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.toolId] }), index("agent_tools_tool_id_idx").on(t.toolId)],
);

export const toolsRelations = relations(tools, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [tools.workspaceId], references: [workspaces.id] }),
  agentTools: many(agentTools),
}));

export const agentToolsRelations = relations(agentTools, ({ one }) => ({
  agent: one(agents, { fields: [agentTools.agentId], references: [agents.id] }),
  tool: one(tools, { fields: [agentTools.toolId], references: [tools.id] }),
}));

export type Tool = typeof tools.$inferSelect;
export type NewTool = typeof tools.$inferInsert;
export type AgentTool = typeof agentTools.$inferSelect;
export type NewAgentTool = typeof agentTools.$inferInsert;
