export type { Page } from "../db/page";
export type { Feedback, FeedbackHistory } from "../db/schema";
export {
  deleteFeedback,
  type LabelResult,
  type LabelTraceInput,
  labelTrace,
  type UpdateFeedbackInput,
  updateFeedback,
} from "./label";
export {
  getFeedback,
  type HistoryInput,
  type ListFeedbackInput,
  listFeedback,
  listFeedbackHistory,
  listTraceFeedbackHistory,
  type Position,
} from "./list";
