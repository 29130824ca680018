// The monitoring area's public verbs: live window metrics, daily snapshots, alerts and the scheduled
// `monitor` job that keeps them current.
export type { PerformanceAlert, PerformanceSnapshot } from "../db/schema";
export type { AlertDecision, AlertSpec } from "./alert-rules";
export { decideAlerts } from "./alert-rules";
export { acknowledgeAlert, type ListAlertsInput, listAlerts, resolveAlert } from "./alerts";
export { computeExecutionMetrics, type ExecutionMetrics, getEvalMetrics } from "./metrics";
export { DEFAULT_WINDOW_DAYS, type MonitorInput, type MonitorResult, runMonitor } from "./monitor";
export { MonitorScheduler, monitorSlot, scheduleMonitorJobs } from "./schedule";
export { getPerformanceTrend } from "./snapshots";
export { DEFAULT_THRESHOLDS, type MonitoringThresholds, resolveThresholds } from "./thresholds";
