import { eq, sql } from "drizzle-orm";
import { agentVersions, feedback, traces } from "../db/schema";
import type { FeedbackRating, TraceSource } from "../db/schema/enums";

/** One trace as lists and the detail show it: identity, summary columns, assignment and its label. */
export interface TraceRow {
  id: string;
  externalId: string;
  source: TraceSource;
  name: string | null;
  startedAt: string | null;
  endedAt: string | null;
  importedAt: string;
  updatedAt: string;
  integrationId: string | null;
  spanCount: number;
  llmCallCount: number;
  toolCallCount: number;
  totalTokens: number;
  totalDurationMs: number | null;
  hasErrors: boolean;
  model: string | null;
  inputPreview: string | null;
  outputPreview: string | null;
  agentId: string | null;
  agentVersionId: string | null;
  feedback: { id: string; rating: FeedbackRating; notes: string | null; agentId: string | null } | null;
}

export const traceRowColumns = {
  id: traces.id,
  externalId: traces.externalId,
  source: traces.source,
  name: traces.name,
  startedAt: traces.startedAt,
  endedAt: traces.endedAt,
  importedAt: traces.importedAt,
  updatedAt: traces.updatedAt,
  integrationId: traces.integrationId,
  spanCount: traces.spanCount,
  llmCallCount: traces.llmCallCount,
  toolCallCount: traces.toolCallCount,
  totalTokens: traces.totalTokens,
  totalDurationMs: traces.totalDurationMs,
  hasErrors: traces.hasErrors,
  model: traces.model,
  inputPreview: traces.inputPreview,
  outputPreview: traces.outputPreview,
  agentVersionId: traces.agentVersionId,
  // Joined columns get unique names: Drizzle's D1 batch reads rows as objects keyed by column name,
  // so a second `id` or `agent_id` would overwrite the first.
  agentId: sql<string | null>`${agentVersions.agentId}`.as("version_agent_id"),
  feedbackId: sql<string | null>`${feedback.id}`.as("label_id"),
  feedbackRating: sql<FeedbackRating | null>`${feedback.rating}`.as("label_rating"),
  feedbackNotes: sql<string | null>`${feedback.notes}`.as("label_notes"),
  feedbackAgentId: sql<string | null>`${feedback.agentId}`.as("label_agent_id"),
};

type SelectedRow = Omit<TraceRow, "feedback"> & {
  feedbackId: string | null;
  feedbackRating: FeedbackRating | null;
  feedbackNotes: string | null;
  feedbackAgentId: string | null;
};

/** Joins for {@link traceRowColumns}: the version (for its agent) and the trace's one label. */
export const versionOfTrace = eq(agentVersions.id, traces.agentVersionId);
export const labelOfTrace = eq(feedback.traceId, traces.id);

export function toTraceRow(row: SelectedRow): TraceRow {
  const { feedbackId, feedbackRating, feedbackNotes, feedbackAgentId, ...rest } = row;
  const label =
    feedbackId !== null && feedbackRating !== null
      ? { id: feedbackId, rating: feedbackRating, notes: feedbackNotes, agentId: feedbackAgentId }
      : null;
  return { ...rest, feedback: label };
}
