import { describe, expect, it } from "vitest";
import { computeAgreement } from "../../src/matrix";

// Every expected value below is worked out by hand in the comment beside it (positive class = pass).

describe("computeAgreement", () => {
  it("computes every figure of a mixed confusion matrix", () => {
    // TP=3 FN=1 FP=2 TN=4, n=10. po = 7/10; pe = ((3+2)(3+1) + (1+4)(2+4)) / 100 = (20+30)/100 = 0.5
    const a = computeAgreement({ tp: 3, fn: 1, fp: 2, tn: 4 });
    expect(a.n).toBe(10);
    expect(a.accuracy).toBeCloseTo(0.7, 12); // (3+4)/10
    expect(a.precision).toBeCloseTo(0.6, 12); // 3/(3+2)
    expect(a.recall).toBeCloseTo(0.75, 12); // 3/(3+1)
    expect(a.f1).toBeCloseTo(2 / 3, 12); // 2·0.6·0.75/(0.6+0.75) = 0.9/1.35
    expect(a.cohenKappa).toBeCloseTo(0.4, 12); // (0.7−0.5)/(1−0.5)
    expect(a.coverage).toBeCloseTo(2 / 3, 12); // TN/(TN+FP) = 4/6
    expect(a.falseFailureRate).toBeCloseTo(0.25, 12); // FN/(FN+TP) = 1/4
  });

  it("gives nulls, never NaN or 0, with no labels at all", () => {
    expect(computeAgreement({ tp: 0, fn: 0, fp: 0, tn: 0 })).toEqual({
      n: 0,
      accuracy: null,
      precision: null,
      recall: null,
      f1: null,
      cohenKappa: null,
      coverage: null,
      falseFailureRate: null,
    });
  });

  it("scores perfect agreement as 1 everywhere and no false failures", () => {
    // TP=5 TN=5: pe = (5·5 + 5·5)/100 = 0.5, po = 1 → κ = 1
    expect(computeAgreement({ tp: 5, fn: 0, fp: 0, tn: 5 })).toEqual({
      n: 10,
      accuracy: 1,
      precision: 1,
      recall: 1,
      f1: 1,
      cohenKappa: 1,
      coverage: 1,
      falseFailureRate: 0,
    });
  });

  it("scores an inverted eval as 0 agreement and kappa −1", () => {
    // FP=5 FN=5: po = 0, pe = ((0+5)(0+5) + (5+0)(5+0))/100 = 0.5 → κ = −0.5/0.5
    expect(computeAgreement({ tp: 0, fn: 5, fp: 5, tn: 0 })).toEqual({
      n: 10,
      accuracy: 0,
      precision: 0,
      recall: 0,
      f1: 0,
      cohenKappa: -1,
      coverage: 0,
      falseFailureRate: 1,
    });
  });

  it("leaves coverage undefined when every label is positive (one class only)", () => {
    // TP=3 FN=1: pe = ((3)(4) + (1)(0))/16 = 0.75 = po → κ = 0; no human negatives → coverage null
    const a = computeAgreement({ tp: 3, fn: 1, fp: 0, tn: 0 });
    expect(a).toMatchObject({ n: 4, accuracy: 0.75, precision: 1, recall: 0.75, cohenKappa: 0, coverage: null });
    expect(a.f1).toBeCloseTo(6 / 7, 12); // 2·3/(2·3+0+1)
    expect(a.falseFailureRate).toBeCloseTo(0.25, 12);
  });

  it("leaves recall and the false-failure rate undefined when every label is negative", () => {
    // FP=1 TN=3: pe = ((1)(0) + (3)(4))/16 = 0.75 = po → κ = 0
    const a = computeAgreement({ tp: 0, fn: 0, fp: 1, tn: 3 });
    expect(a).toMatchObject({ accuracy: 0.75, precision: 0, recall: null, f1: 0, cohenKappa: 0 });
    expect(a).toMatchObject({ coverage: 0.75, falseFailureRate: null });
  });

  it("makes kappa null when chance agreement is 1 (one class on both sides)", () => {
    // TP=4 only: pe = (4·4 + 0)/16 = 1 → (po − pe)/(1 − pe) = 0/0
    expect(computeAgreement({ tp: 4, fn: 0, fp: 0, tn: 0 })).toMatchObject({
      accuracy: 1,
      precision: 1,
      recall: 1,
      f1: 1,
      cohenKappa: null,
      coverage: null,
      falseFailureRate: 0,
    });
  });

  it("gives an eval that passes everything kappa 0 and coverage 0", () => {
    // TP=3 FP=2: po = 0.6, pe = ((5)(3) + (0)(2))/25 = 0.6 → κ = 0
    expect(computeAgreement({ tp: 3, fn: 0, fp: 2, tn: 0 })).toMatchObject({
      accuracy: 0.6,
      precision: 0.6,
      recall: 1,
      f1: 0.75, // 6/(6+2+0)
      cohenKappa: 0,
      coverage: 0,
      falseFailureRate: 0,
    });
  });

  it("keeps precision undefined but F1 at 0 when the eval never passes a good output", () => {
    // TP=0 FN=2 TN=3: precision 0/0; F1 = 2·0/(0+0+2) = 0; pe = ((0)(2) + (5)(3))/25 = 0.6, po = 0.6 → κ = 0
    expect(computeAgreement({ tp: 0, fn: 2, fp: 0, tn: 3 })).toMatchObject({
      precision: null,
      recall: 0,
      f1: 0,
      cohenKappa: 0,
      coverage: 1,
      falseFailureRate: 1,
    });
  });
});
