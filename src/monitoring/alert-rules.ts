import type { AlertSeverity, AlertType } from "../db/schema/enums";
import type { ExecutionMetrics } from "./metrics";
import type { MonitoringThresholds } from "./thresholds";

export interface AlertSpec {
  type: AlertType;
  severity: AlertSeverity;
  currentValue: number;
  thresholdValue: number;
  message: string;
}

/** Alerts whose condition holds now, and alert types whose condition was measured and is clear. */
export interface AlertDecision {
  raise: AlertSpec[];
  clear: AlertType[];
}

/** "Critical when more than 10 points past the threshold". */
const CRITICAL_MARGIN = 0.1;
// 0.8 − 0.7 is 0.10000000000000009 in floating point: exactly 10 points must stay a warning.
const EPSILON = 1e-9;

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

function severityFor(pastBy: number): AlertSeverity {
  return pastBy > CRITICAL_MARGIN + EPSILON ? "critical" : "warning";
}

/** A rate that must stay at or below `max`: raise above it, clear at or below it, skip when unmeasured. */
function checkMax(
  decision: AlertDecision,
  type: AlertType,
  label: string,
  value: number | null,
  max: number,
  windowText: string,
): void {
  if (value === null) {
    return;
  }
  if (value > max + EPSILON) {
    const message = `${label} ${pct(value)} is above the ${pct(max)} maximum (${windowText})`;
    decision.raise.push({
      type,
      severity: severityFor(value - max),
      currentValue: value,
      thresholdValue: max,
      message,
    });
  } else {
    decision.clear.push(type);
  }
}

/**
 * Which alerts the window's metrics call for. Below `minExecutions` only `insufficient_data` is
 * raised and the other conditions count as unmeasured: their open alerts stay as they are.
 * Accuracy without labeled executions is unmeasured too.
 */
export function decideAlerts(m: ExecutionMetrics, t: MonitoringThresholds, windowDays: number): AlertDecision {
  const decision: AlertDecision = { raise: [], clear: [] };
  const windowText = `last ${windowDays} day${windowDays === 1 ? "" : "s"}, ${m.executionCount} executions`;
  if (m.executionCount < t.minExecutions) {
    decision.raise.push({
      type: "insufficient_data",
      severity: "info",
      currentValue: m.executionCount,
      thresholdValue: t.minExecutions,
      message: `${m.executionCount} executions in the last ${windowDays} days; alerts need at least ${t.minExecutions}`,
    });
    return decision;
  }
  decision.clear.push("insufficient_data");
  if (m.accuracy !== null) {
    if (m.accuracy < t.minAccuracy - EPSILON) {
      decision.raise.push({
        type: "accuracy_drop",
        severity: severityFor(t.minAccuracy - m.accuracy),
        currentValue: m.accuracy,
        thresholdValue: t.minAccuracy,
        message: `Accuracy ${pct(m.accuracy)} is below the ${pct(t.minAccuracy)} minimum (${windowText}, ${m.labeledCount} labeled)`,
      });
    } else {
      decision.clear.push("accuracy_drop");
    }
  }
  checkMax(
    decision,
    "contradiction_spike",
    "Contradiction rate",
    m.contradictionRate,
    t.maxContradictionRate,
    windowText,
  );
  checkMax(decision, "error_spike", "Error rate", m.errorRate, t.maxErrorRate, windowText);
  return decision;
}
