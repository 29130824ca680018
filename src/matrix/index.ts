// The matrix area's public verbs: evals vs human labels, their agreement statistics, and the
// metrics cached on each eval.
export { type Agreement, type ConfusionCounts, computeAgreement, ratio } from "./agreement";
export { refreshEvalMetrics, storeEvalMetrics } from "./eval-metrics";
export { type EvalRef, getEvalOrThrow } from "./internal";
export {
  getMatrix,
  getMatrixStats,
  isContradiction,
  type MatrixCell,
  type MatrixInput,
  type MatrixPage,
  type MatrixPosition,
  type MatrixRow,
} from "./matrix";
export { labelsOfAgent, type MatrixFilterMode, type MatrixFilters, matrixFilterModes } from "./query";
export type { EvalStats, MatrixStats } from "./stats";
