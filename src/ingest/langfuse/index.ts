// Langfuse pull import: v2 observations grouped into traces, legacy traces with observations, scores as labels.
export { type LangfuseLabel, langfuseScoreToLabel, type ScoreMapping } from "./scores";
export { traceFromLangfuseTrace, tracesFromLangfuseObservations } from "./traces";
