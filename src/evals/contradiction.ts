import type { FeedbackRating } from "../db/schema/enums";

/**
 * Whether a prediction contradicts the human label: positive & fail, or negative & pass. Neutral
 * labels never contradict; no label, or no prediction (the execution failed), gives null.
 */
export function isContradiction(rating: FeedbackRating | null, pass: boolean | null): boolean | null {
  if (rating === null) {
    return null;
  }
  if (rating === "neutral") {
    return false;
  }
  if (pass === null) {
    return null;
  }
  return (rating === "positive") !== pass;
}

/** Whether a prediction agrees with a positive or negative label; null for neutral, no label or no prediction. */
export function isMatch(rating: FeedbackRating | null, pass: boolean | null): boolean | null {
  if (rating === null || rating === "neutral" || pass === null) {
    return null;
  }
  return (rating === "positive") === pass;
}
