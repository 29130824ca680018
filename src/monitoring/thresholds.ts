/** When an eval's recent behaviour raises an alert; `PATCH /api/evals/:id/settings` stores overrides. */
export interface MonitoringThresholds {
  minAccuracy: number;
  maxContradictionRate: number;
  maxErrorRate: number;
  /** Fewer executions in the window than this: only an `insufficient_data` alert, nothing else judged. */
  minExecutions: number;
}

export const DEFAULT_THRESHOLDS: MonitoringThresholds = {
  minAccuracy: 0.8,
  maxContradictionRate: 0.15,
  maxErrorRate: 0.1,
  minExecutions: 20,
};

function pick(stored: Record<string, unknown>, key: string, fallback: number, max: number): number {
  const value = stored[key];
  // The settings route validates what it stores; a value out of range here came from elsewhere.
  return typeof value === "number" && Number.isFinite(value) && value >= 0 && value <= max ? value : fallback;
}

/** The stored `evals.monitoring_thresholds` JSON (snake_case keys, any subset) over the defaults. */
export function resolveThresholds(stored: Record<string, unknown> | null | undefined): MonitoringThresholds {
  const s = stored ?? {};
  const d = DEFAULT_THRESHOLDS;
  return {
    minAccuracy: pick(s, "min_accuracy", d.minAccuracy, 1),
    maxContradictionRate: pick(s, "max_contradiction_rate", d.maxContradictionRate, 1),
    maxErrorRate: pick(s, "max_error_rate", d.maxErrorRate, 1),
    minExecutions: Math.max(1, Math.floor(pick(s, "min_executions", d.minExecutions, 1_000_000))),
  };
}
