import { relations } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, updatedAt } from "./columns";
import { integrationPlatform, integrationStatus } from "./enums";
import { workspaces } from "./tenancy";
import { traces } from "./traces";

/**
 * A trace source the workspace imports from (Langfuse, LangSmith, OpenAI stored completions).
 * The platform credential is AES-GCM ciphertext (`secret-box`) and never leaves the server.
 */
export const integrations = sqliteTable(
  "integrations",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    platform: text("platform", { enum: integrationPlatform }).notNull(),
    baseUrl: text("base_url"),
    apiKeyEncrypted: text("api_key_encrypted").notNull(),
    /** Platform-specific options (project id, region...); never secrets. */
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>(),
    status: text("status", { enum: integrationStatus }).notNull().default("active"),
    errorMessage: text("error_message"),
    lastSyncedAt: text("last_synced_at"),
    /** Where the next incremental import resumes (e.g. last seen timestamp and page token). */
    syncCursor: text("sync_cursor", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("integrations_workspace_id_name_idx").on(t.workspaceId, t.name),
    index("integrations_workspace_id_platform_idx").on(t.workspaceId, t.platform),
  ],
);

export const integrationsRelations = relations(integrations, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [integrations.workspaceId], references: [workspaces.id] }),
  traces: many(traces),
}));

export type Integration = typeof integrations.$inferSelect;
export type NewIntegration = typeof integrations.$inferInsert;
