// The evals area's public verbs: CRUD and versions, settings, execution jobs, drill-downs, the playground.
export type { Eval, EvalExecution } from "../db/schema";
export { scheduleAutoExecution } from "./auto-execute";
export { isContradiction, isMatch } from "./contradiction";
export { type CreateEvalInput, createEval, deleteEval, getEval, type UpdateEvalInput, updateEval } from "./evals";
export { ExecuteEvalPayload, executeEvalHandler, MAX_EXECUTE_TRACE_IDS } from "./execute-job";
export {
  type ExecutionDetail,
  type ExecutionPosition,
  type ExecutionWithTrace,
  getEvalExecution,
  type ListEvalExecutionsInput,
  listEvalExecutions,
  listTraceExecutions,
  type TraceExecution,
  type TraceSummary,
} from "./executions";
export type { Page } from "./internal";
export { type EvalPosition, type ListAgentEvalsInput, type ListEvalsInput, listAgentEvals, listEvals } from "./list";
export {
  type PlaygroundInput,
  type PlaygroundResult,
  type PlaygroundRun,
  type PlaygroundSummary,
  runPlayground,
} from "./playground";
export type { ExecutionResult } from "./run-execution";
export {
  DEFAULT_MONITORING_THRESHOLDS,
  type MonitoringThresholds,
  type UpdateEvalSettingsInput,
  updateEvalSettings,
} from "./settings";
export { type ExecuteEvalInput, executeEval, type StartedExecution } from "./start-execution";
export { type ExecutionTarget, executionTargets } from "./targets";
