import { relations } from "drizzle-orm";
import { type AnySQLiteColumn, index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { agents } from "./agents";
import { createdAt, updatedAt } from "./columns";
import { functionRole, functionStatus, functionType } from "./enums";
import { workspaces } from "./tenancy";

/** Generated code other than evals: prompt-template extractors and injectors for an agent. */
export const functions = sqliteTable(
  "functions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    type: text("type", { enum: functionType }).notNull(),
    name: text("name").notNull(),
    code: text("code").notNull(),
    inputSchema: text("input_schema", { mode: "json" }).$type<Record<string, unknown>>(),
    outputSchema: text("output_schema", { mode: "json" }).$type<Record<string, unknown>>(),
    modelUsed: text("model_used"),
    parentFunctionId: text("parent_function_id").references((): AnySQLiteColumn => functions.id, {
      onDelete: "set null",
    }),
    status: text("status", { enum: functionStatus }).notNull().default("active"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("functions_workspace_id_type_idx").on(t.workspaceId, t.type),
    index("functions_parent_function_id_idx").on(t.parentFunctionId),
  ],
);

/** At most one function per (agent, role). */
export const agentFunctions = sqliteTable(
  "agent_functions",
  {
    agentId: text("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    role: text("role", { enum: functionRole }).notNull(),
    functionId: text("function_id")
      .notNull()
      .references(() => functions.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.agentId, t.role] }), index("agent_functions_function_id_idx").on(t.functionId)],
);

export const functionsRelations = relations(functions, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [functions.workspaceId], references: [workspaces.id] }),
  parentFunction: one(functions, {
    fields: [functions.parentFunctionId],
    references: [functions.id],
    relationName: "parentFunction",
  }),
  childFunctions: many(functions, { relationName: "parentFunction" }),
  agentFunctions: many(agentFunctions),
}));

export const agentFunctionsRelations = relations(agentFunctions, ({ one }) => ({
  agent: one(agents, { fields: [agentFunctions.agentId], references: [agents.id] }),
  function: one(functions, { fields: [agentFunctions.functionId], references: [functions.id] }),
}));

// `Function` would shadow the global type.
export type FunctionRow = typeof functions.$inferSelect;
export type NewFunctionRow = typeof functions.$inferInsert;
export type AgentFunction = typeof agentFunctions.$inferSelect;
export type NewAgentFunction = typeof agentFunctions.$inferInsert;
