import { desc, relations } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agentVersions } from "./agents";
import { ISO_NOW, updatedAt } from "./columns";
import { traceAssignmentStatus, traceSource } from "./enums";
import { evalCandidateExecutions } from "./eval-candidates";
import { evalExecutions } from "./evals";
import { feedback } from "./feedback";
import { integrations } from "./integrations";
import { workspaces } from "./tenancy";

/**
 * Characters per `trace_payload_chunks.body`. D1 caps a row at 2 MB; a UTF-16 code unit is at most
 * 3 UTF-8 bytes, so a full chunk stays ≤ 1.5 MiB even when every character is non-ASCII.
 */
export const TRACE_PAYLOAD_CHUNK_CHARS = 512 * 1024;

/**
 * One imported trace: identity, summary columns for lists and filters, and the assignment to an
 * agent version. The canonical document (every span, lossless) lives in `trace_payload_chunks`.
 */
export const traces = sqliteTable(
  "traces",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    // Deleting a source must not delete the labelled history imported from it.
    integrationId: text("integration_id").references(() => integrations.id, { onDelete: "set null" }),
    source: text("source", { enum: traceSource }).notNull(),
    /** The source's own trace id; re-importing it updates this row instead of adding one. */
    externalId: text("external_id").notNull(),
    name: text("name"),
    startedAt: text("started_at"),
    endedAt: text("ended_at"),
    inputPreview: text("input_preview"),
    outputPreview: text("output_preview"),
    systemPrompt: text("system_prompt"),
    spanCount: integer("span_count").notNull().default(0),
    llmCallCount: integer("llm_call_count").notNull().default(0),
    toolCallCount: integer("tool_call_count").notNull().default(0),
    promptTokens: integer("prompt_tokens").notNull().default(0),
    completionTokens: integer("completion_tokens").notNull().default(0),
    totalTokens: integer("total_tokens").notNull().default(0),
    totalDurationMs: integer("total_duration_ms"),
    hasErrors: integer("has_errors", { mode: "boolean" }).notNull().default(false),
    model: text("model"),
    /** The traced application's end user and session, as the source reports them. */
    userId: text("user_id"),
    sessionId: text("session_id"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default([]),
    metadata: text("metadata", { mode: "json" }).$type<Record<string, unknown>>(),
    /** Size and SHA-256 (hex) of the canonical document, to detect truncated or altered chunks. */
    payloadBytes: integer("payload_bytes").notNull().default(0),
    payloadSha256: text("payload_sha256"),
    agentVersionId: text("agent_version_id").references(() => agentVersions.id, { onDelete: "set null" }),
    assignmentStatus: text("assignment_status", { enum: traceAssignmentStatus }).notNull().default("unassigned"),
    importedAt: text("imported_at").notNull().default(ISO_NOW),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("traces_workspace_id_source_external_id_idx").on(t.workspaceId, t.source, t.externalId),
    // The trace list: newest import first, id as the cursor tie-breaker.
    index("traces_workspace_id_imported_at_id_idx").on(t.workspaceId, desc(t.importedAt), desc(t.id)),
    index("traces_workspace_id_started_at_idx").on(t.workspaceId, t.startedAt),
    index("traces_workspace_id_source_idx").on(t.workspaceId, t.source),
    index("traces_workspace_id_assignment_status_idx").on(t.workspaceId, t.assignmentStatus),
    index("traces_agent_version_id_idx").on(t.agentVersionId),
    // SQLite scans the child table on a parent delete unless the FK column is indexed.
    index("traces_integration_id_idx").on(t.integrationId),
  ],
);

/**
 * The canonical trace document split into ordered pieces: documents reach 20 MB, D1 rows 2 MB.
 * Concatenating `body` by ascending `seq` gives back the exact text.
 */
export const tracePayloadChunks = sqliteTable(
  "trace_payload_chunks",
  {
    traceId: text("trace_id")
      .notNull()
      .references(() => traces.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    body: text("body").notNull(),
  },
  (t) => [primaryKey({ columns: [t.traceId, t.seq] })],
);

export const tracesRelations = relations(traces, ({ one, many }) => ({
  workspace: one(workspaces, { fields: [traces.workspaceId], references: [workspaces.id] }),
  integration: one(integrations, { fields: [traces.integrationId], references: [integrations.id] }),
  agentVersion: one(agentVersions, { fields: [traces.agentVersionId], references: [agentVersions.id] }),
  payloadChunks: many(tracePayloadChunks),
  feedback: one(feedback),
  evalExecutions: many(evalExecutions),
  evalCandidateExecutions: many(evalCandidateExecutions),
}));

export const tracePayloadChunksRelations = relations(tracePayloadChunks, ({ one }) => ({
  trace: one(traces, { fields: [tracePayloadChunks.traceId], references: [traces.id] }),
}));

export type Trace = typeof traces.$inferSelect;
export type NewTrace = typeof traces.$inferInsert;
export type TracePayloadChunk = typeof tracePayloadChunks.$inferSelect;
export type NewTracePayloadChunk = typeof tracePayloadChunks.$inferInsert;
