import { relations } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agents } from "./agents";
import { createdAt, updatedAt } from "./columns";
import { feedbackChange, feedbackRating } from "./enums";
import { workspaces } from "./tenancy";
import { traces } from "./traces";

/**
 * The current human label of a trace (one per trace). `workspace_id` is direct so a label without
 * an agent is still scoped, listed, edited and deleted.
 */
export const feedback = sqliteTable(
  "feedback",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    traceId: text("trace_id")
      .notNull()
      .references(() => traces.id, { onDelete: "cascade" }),
    // Labels outlive an agent: they are about the trace, the agent is only a grouping.
    agentId: text("agent_id").references(() => agents.id, { onDelete: "set null" }),
    rating: text("rating", { enum: feedbackRating }).notNull(),
    notes: text("notes"),
    /** The API key id that wrote the label, or "local" in local mode. */
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("feedback_trace_id_idx").on(t.traceId),
    index("feedback_workspace_id_created_at_id_idx").on(t.workspaceId, t.createdAt, t.id),
    // The matrix walks an agent's labels in (created_at, trace_id) order; agent and rating make it covering.
    index("feedback_workspace_id_created_at_trace_id_agent_id_rating_idx").on(
      t.workspaceId,
      t.createdAt,
      t.traceId,
      t.agentId,
      t.rating,
    ),
    index("feedback_agent_id_idx").on(t.agentId),
    index("feedback_rating_idx").on(t.rating),
  ],
);

/**
 * Every change to a label, for audit and for "label changed since the eval was generated".
 * No foreign keys: history outlives the label and the trace it was about.
 */
export const feedbackHistory = sqliteTable(
  "feedback_history",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    feedbackId: text("feedback_id").notNull(),
    traceId: text("trace_id").notNull(),
    change: text("change", { enum: feedbackChange }).notNull(),
    ratingBefore: text("rating_before", { enum: feedbackRating }),
    ratingAfter: text("rating_after", { enum: feedbackRating }),
    notesBefore: text("notes_before"),
    notesAfter: text("notes_after"),
    actor: text("actor").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("feedback_history_feedback_id_created_at_idx").on(t.feedbackId, t.createdAt),
    index("feedback_history_trace_id_idx").on(t.traceId),
    index("feedback_history_workspace_id_idx").on(t.workspaceId),
  ],
);

export const feedbackRelations = relations(feedback, ({ one }) => ({
  workspace: one(workspaces, { fields: [feedback.workspaceId], references: [workspaces.id] }),
  trace: one(traces, { fields: [feedback.traceId], references: [traces.id] }),
  agent: one(agents, { fields: [feedback.agentId], references: [agents.id] }),
}));

export const feedbackHistoryRelations = relations(feedbackHistory, ({ one }) => ({
  workspace: one(workspaces, { fields: [feedbackHistory.workspaceId], references: [workspaces.id] }),
}));

export type Feedback = typeof feedback.$inferSelect;
export type NewFeedback = typeof feedback.$inferInsert;
export type FeedbackHistory = typeof feedbackHistory.$inferSelect;
export type NewFeedbackHistory = typeof feedbackHistory.$inferInsert;
