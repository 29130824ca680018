import { z } from "@hono/zod-openapi";
import { ID_PATTERN } from "../db/ids";
import { feedbackChange, feedbackRating } from "../db/schema/enums";
import type { LabelResult, Page } from "../feedback";
import { IdParam } from "./api-keys.schemas";
import { CursorPage, CursorQuery } from "./pagination";
import { toPositionPageJson } from "./position-cursor";

export const Id = z.string().max(100).regex(ID_PATTERN, "not an id");
const Notes = z.string().max(10_000);
const Rating = z.enum(feedbackRating);
/** ISO-8601 with a zone, normalised to UTC milliseconds so it compares with stored timestamps. */
const Instant = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .openapi({ type: "string", format: "date-time" });

export const FeedbackSchema = z
  .object({
    id: z.string(),
    trace_id: z.string(),
    agent_id: z.string().nullable(),
    rating: Rating,
    notes: z.string().nullable(),
    created_by: z.string().openapi({ description: "API key id of the author, or `local`" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Feedback");

export const LabelResponse = FeedbackSchema.extend({
  updated: z.boolean().openapi({ description: "True when the trace already had a label and this call updated it" }),
}).openapi("LabelResponse");

export const FeedbackPage = CursorPage("feedback", FeedbackSchema).openapi("FeedbackPage");

export const FeedbackHistorySchema = z
  .object({
    id: z.string(),
    feedback_id: z.string(),
    trace_id: z.string(),
    change: z.enum(feedbackChange),
    rating_before: Rating.nullable(),
    rating_after: Rating.nullable(),
    notes_before: z.string().nullable(),
    notes_after: z.string().nullable(),
    actor: z.string(),
    created_at: z.string(),
  })
  .openapi("FeedbackHistory");

export const FeedbackHistoryPage = CursorPage("history", FeedbackHistorySchema).openapi("FeedbackHistoryPage");

export const CreateFeedbackBody = z
  .object({
    trace_id: Id,
    rating: Rating,
    agent_id: Id.nullable().optional(),
    notes: Notes.nullable().optional(),
  })
  .openapi("CreateFeedbackBody");

export const UpdateFeedbackBody = z
  .object({ rating: Rating.optional(), notes: Notes.nullable().optional() })
  .refine((b) => b.rating !== undefined || b.notes !== undefined, "give rating or notes")
  .openapi("UpdateFeedbackBody");

const RatingList = z
  .string()
  .max(100)
  .transform((csv) => csv.split(",").map((r) => r.trim()))
  .pipe(z.array(Rating).min(1).max(feedbackRating.length))
  .openapi({ type: "string", description: "Comma-separated ratings, e.g. `positive,neutral`" });

export const ListFeedbackQuery = z.object({
  trace_id: Id.optional(),
  agent_id: Id.optional(),
  rating: RatingList.optional(),
  date_from: Instant.optional().openapi({ description: "Labels created at or after (ISO-8601)" }),
  date_to: Instant.optional().openapi({ description: "Labels created at or before (ISO-8601)" }),
  ...CursorQuery,
});

export const HistoryQuery = z.object(CursorQuery);
export const FeedbackIdParams = z.object({ id: IdParam });

type FeedbackRow = LabelResult["feedback"];

export function toFeedbackJson(row: FeedbackRow): z.infer<typeof FeedbackSchema> {
  return {
    id: row.id,
    trace_id: row.traceId,
    agent_id: row.agentId,
    rating: row.rating,
    notes: row.notes,
    created_by: row.createdBy,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

export function toLabelJson(result: LabelResult): z.infer<typeof LabelResponse> {
  return { ...toFeedbackJson(result.feedback), updated: !result.created };
}

export function toFeedbackPageJson(page: Page<FeedbackRow>): z.infer<typeof FeedbackPage> {
  return toPositionPageJson("feedback", page, toFeedbackJson);
}

type HistoryRow = {
  id: string;
  feedbackId: string;
  traceId: string;
  change: (typeof feedbackChange)[number];
  ratingBefore: (typeof feedbackRating)[number] | null;
  ratingAfter: (typeof feedbackRating)[number] | null;
  notesBefore: string | null;
  notesAfter: string | null;
  actor: string;
  createdAt: string;
};

export function toHistoryJson(row: HistoryRow): z.infer<typeof FeedbackHistorySchema> {
  return {
    id: row.id,
    feedback_id: row.feedbackId,
    trace_id: row.traceId,
    change: row.change,
    rating_before: row.ratingBefore,
    rating_after: row.ratingAfter,
    notes_before: row.notesBefore,
    notes_after: row.notesAfter,
    actor: row.actor,
    created_at: row.createdAt,
  };
}

export function toHistoryPageJson(page: Page<HistoryRow>): z.infer<typeof FeedbackHistoryPage> {
  return toPositionPageJson("history", page, toHistoryJson);
}
