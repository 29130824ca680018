import type { FeedbackRating } from "../../db/schema/enums";
import { isObject, lookup, stringOrNull } from "../common/json";
import { isoFromAny } from "../common/time";

/** A Langfuse score turned into one of our labels. */
export interface LangfuseLabel {
  score_id: string | null;
  trace_external_id: string;
  observation_id: string | null;
  name: string | null;
  rating: FeedbackRating;
  notes: string | null;
  /** `source: ANNOTATION` is a human judgement (ground truth); API and EVAL scores are not. */
  is_human: boolean;
  created_at: string | null;
}

export type ScoreMapping = { ok: true; label: LangfuseLabel } | { ok: false; reason: string };

const CATEGORIES: Record<string, FeedbackRating> = {
  good: "positive",
  positive: "positive",
  pass: "positive",
  passed: "positive",
  correct: "positive",
  yes: "positive",
  true: "positive",
  "thumbs up": "positive",
  thumbs_up: "positive",
  "👍": "positive",
  bad: "negative",
  negative: "negative",
  fail: "negative",
  failed: "negative",
  incorrect: "negative",
  wrong: "negative",
  no: "negative",
  false: "negative",
  "thumbs down": "negative",
  thumbs_down: "negative",
  "👎": "negative",
  okay: "neutral",
  ok: "neutral",
  neutral: "neutral",
  mixed: "neutral",
  partial: "neutral",
  meh: "neutral",
};

const NUMERIC: Record<string, FeedbackRating> = { "1": "positive", "0": "neutral", "-1": "negative" };

type Rating = { rating: FeedbackRating } | { reason: string };

function booleanRating(value: unknown, text: string | null): Rating {
  const lower = text?.toLowerCase();
  if (value === true || value === 1 || lower === "true") {
    return { rating: "positive" };
  }
  if (value === false || value === 0 || lower === "false") {
    return { rating: "negative" };
  }
  return { reason: "boolean score has no true/false value" };
}

function ratingOf(score: Record<string, unknown>): Rating {
  const type = typeof score.dataType === "string" ? score.dataType.toUpperCase() : "";
  const value = score.value;
  const text = stringOrNull(score.stringValue) ?? (typeof value === "string" ? value : null);
  if (type === "BOOLEAN" || typeof value === "boolean") {
    return booleanRating(value, text);
  }
  if (type === "CATEGORICAL" || (type === "" && text !== null)) {
    const rating = lookup(CATEGORIES, (text ?? "").trim().toLowerCase());
    return rating ? { rating } : { reason: `category "${text}" has no rating mapping` };
  }
  if (type === "NUMERIC" || (type === "" && typeof value === "number")) {
    if (typeof value !== "number") {
      return { reason: "numeric score has no number value" };
    }
    const rating = lookup(NUMERIC, String(value));
    return rating ? { rating } : { reason: `numeric score ${value} is not -1, 0 or 1` };
  }
  return { reason: `${type || "untyped"} scores are not ratings` };
}

/**
 * Map a Langfuse score (v2/v3 scores API) to a label: BOOLEAN true/false → positive/negative;
 * NUMERIC 1 / 0 / -1 → positive / neutral / negative; CATEGORICAL labels such as good / okay / bad.
 * TEXT and CORRECTION scores, other numbers and unknown categories are not ratings (`ok: false`).
 */
export function langfuseScoreToLabel(score: unknown): ScoreMapping {
  if (!isObject(score)) {
    return { ok: false, reason: "score must be an object" };
  }
  const traceId = stringOrNull(score.traceId);
  if (traceId === null) {
    return { ok: false, reason: "score is not attached to a trace" };
  }
  const mapped = ratingOf(score);
  if ("reason" in mapped) {
    return { ok: false, reason: mapped.reason };
  }
  return {
    ok: true,
    label: {
      score_id: stringOrNull(score.id),
      trace_external_id: traceId,
      observation_id: stringOrNull(score.observationId),
      name: stringOrNull(score.name),
      rating: mapped.rating,
      notes: stringOrNull(score.comment),
      is_human: score.source === "ANNOTATION",
      created_at: isoFromAny(score.timestamp ?? score.createdAt),
    },
  };
}
