import { describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, decideAlerts, type ExecutionMetrics, resolveThresholds } from "../../src/monitoring";

/** Metrics of `executions` executions, `labeled` of them labeled with `contradictions` disagreements. */
function metrics(executions: number, labeled: number, contradictions: number, errors = 0): ExecutionMetrics {
  return {
    executionCount: executions,
    passCount: executions - errors,
    failCount: 0,
    errorCount: errors,
    labeledCount: labeled,
    contradictionCount: contradictions,
    confusion: { tp: labeled - contradictions, fn: contradictions, fp: 0, tn: 0 },
    accuracy: labeled === 0 ? null : (labeled - contradictions) / labeled,
    contradictionRate: executions === 0 ? null : contradictions / executions,
    errorRate: executions === 0 ? null : errors / executions,
  };
}

const types = (specs: { type: string }[]) => specs.map((s) => s.type).sort();

describe("decideAlerts", () => {
  it("raises only insufficient_data below min_executions and leaves other alerts as they are", () => {
    const d = decideAlerts(metrics(19, 19, 19, 19), DEFAULT_THRESHOLDS, 7);
    expect(d.raise).toEqual([
      expect.objectContaining({ type: "insufficient_data", severity: "info", currentValue: 19, thresholdValue: 20 }),
    ]);
    expect(d.clear).toEqual([]);
  });

  it("clears everything when every figure is within its threshold", () => {
    // 100 executions, 50 labeled, 5 contradictions: accuracy 0.9, contradiction rate 0.05, error rate 0.02
    const d = decideAlerts(metrics(100, 50, 5, 2), DEFAULT_THRESHOLDS, 7);
    expect(d.raise).toEqual([]);
    expect(d.clear.sort()).toEqual(["accuracy_drop", "contradiction_spike", "error_spike", "insufficient_data"]);
  });

  it("rates an accuracy drop of exactly 10 points a warning and of more a critical", () => {
    // 20 labeled of 100: 6 contradictions → accuracy 0.7 (10 points under 0.8); 7 → 0.65 (15 points)
    const warning = decideAlerts(metrics(100, 20, 6), DEFAULT_THRESHOLDS, 7).raise;
    expect(warning).toEqual([
      expect.objectContaining({ type: "accuracy_drop", severity: "warning", currentValue: 0.7, thresholdValue: 0.8 }),
    ]);
    const critical = decideAlerts(metrics(100, 20, 7), DEFAULT_THRESHOLDS, 7).raise;
    expect(critical).toEqual([expect.objectContaining({ type: "accuracy_drop", severity: "critical" })]);
    expect(critical[0]?.message).toBe(
      "Accuracy 65.0% is below the 80.0% minimum (last 7 days, 100 executions, 20 labeled)",
    );
  });

  it("raises contradiction and error spikes above their maxima, critical past 10 points", () => {
    // 100 executions: 20 contradictions (rate 0.20, 5 points over 0.15), 21 errors (rate 0.21, 11 over 0.10)
    const d = decideAlerts(metrics(100, 100, 20, 21), DEFAULT_THRESHOLDS, 7);
    expect(types(d.raise)).toEqual(["contradiction_spike", "error_spike"]);
    expect(d.raise.find((a) => a.type === "contradiction_spike")).toMatchObject({
      severity: "warning",
      currentValue: 0.2,
    });
    expect(d.raise.find((a) => a.type === "error_spike")).toMatchObject({ severity: "critical", currentValue: 0.21 });
    expect(d.clear.sort()).toEqual(["accuracy_drop", "insufficient_data"]); // accuracy 0.8 is not below 0.8
  });

  it("neither raises nor clears accuracy_drop without labeled executions", () => {
    const d = decideAlerts(metrics(50, 0, 0), DEFAULT_THRESHOLDS, 1);
    expect(d.raise).toEqual([]);
    expect(d.clear).not.toContain("accuracy_drop");
  });

  it("uses the eval's own thresholds", () => {
    const strict = resolveThresholds({ min_accuracy: 0.95, min_executions: 5 });
    const d = decideAlerts(metrics(10, 10, 1), strict, 7);
    expect(d.raise).toEqual([expect.objectContaining({ type: "accuracy_drop", thresholdValue: 0.95 })]);
  });
});

describe("resolveThresholds", () => {
  it("falls back to 0.80 / 0.15 / 0.10 / 20 when nothing is stored", () => {
    expect(resolveThresholds(null)).toEqual({
      minAccuracy: 0.8,
      maxContradictionRate: 0.15,
      maxErrorRate: 0.1,
      minExecutions: 20,
    });
  });

  it("takes each stored value in range and ignores the rest", () => {
    expect(
      resolveThresholds({ min_accuracy: 0.9, max_error_rate: 2, max_contradiction_rate: "high", min_executions: 50 }),
    ).toEqual({ minAccuracy: 0.9, maxContradictionRate: 0.15, maxErrorRate: 0.1, minExecutions: 50 });
  });
});
