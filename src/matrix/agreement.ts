/** Confusion counts with "pass" as the positive class: human positive ↔ the output should pass. */
export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Agreement of an eval's verdicts with human labels. Every ratio is null when undefined (0/0), never NaN. */
export interface Agreement {
  n: number;
  accuracy: number | null;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  cohenKappa: number | null;
  /** EvalGen's coverage: the share of bad outputs (human negative) the eval fails. */
  coverage: number | null;
  /** EvalGen's false-failure rate: the share of good outputs (human positive) the eval fails. */
  falseFailureRate: number | null;
}

/** `numerator / denominator`, or null when the denominator is 0. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/**
 * Cohen's kappa, (po − pe) / (1 − pe), computed on integer counts (both sides multiplied by n²) so
 * that pe = 1, where kappa is undefined, is detected exactly rather than through float rounding.
 */
function cohenKappa({ tp, fp, tn, fn }: ConfusionCounts): number | null {
  const n = tp + fp + tn + fn;
  const chance = (tp + fp) * (tp + fn) + (fn + tn) * (fp + tn);
  return ratio(n * (tp + tn) - chance, n * n - chance);
}

/** Every agreement figure from the four counts; formulas in src/matrix/README.md. */
export function computeAgreement(counts: ConfusionCounts): Agreement {
  const { tp, fp, tn, fn } = counts;
  const n = tp + fp + tn + fn;
  return {
    n,
    accuracy: ratio(tp + tn, n),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    // 2TP / (2TP + FP + FN): the harmonic mean of precision and recall where both exist, and 0 (not
    // undefined) when the eval never passes anything while some outputs were good.
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    cohenKappa: cohenKappa(counts),
    coverage: ratio(tn, tn + fp),
    falseFailureRate: ratio(fn, fn + tp),
  };
}
