import { describe, expect, it } from "vitest";
import { langfuseScoreToLabel } from "../../../src/ingest/langfuse";
import { fixtureJson } from "../fixtures";

describe("Langfuse scores → labels", () => {
  it("maps boolean, numeric -1/0/1 and categorical scores, and explains the rest", () => {
    const results = fixtureJson("langfuse/scores.json").data.map(langfuseScoreToLabel);
    expect(results.map((r: any) => (r.ok ? [r.label.rating, r.label.is_human] : r.reason))).toEqual([
      ["positive", true],
      ["negative", true],
      ["neutral", true],
      ["negative", false],
      "numeric score 0.73 is not -1, 0 or 1",
      "TEXT scores are not ratings",
      "score is not attached to a trace",
      'category "meh-ish" has no rating mapping',
    ]);
    expect(results[0]).toEqual({
      ok: true,
      label: {
        score_id: "sc-1",
        trace_external_id: "t-1",
        observation_id: null,
        name: "user_feedback",
        rating: "positive",
        notes: "nailed it",
        is_human: true,
        created_at: "2026-05-01T11:00:00.000Z",
      },
    });
  });

  it("never maps a category through an inherited property", () => {
    const result = langfuseScoreToLabel({ traceId: "t", dataType: "CATEGORICAL", stringValue: "constructor" });
    expect(result).toEqual({ ok: false, reason: 'category "constructor" has no rating mapping' });
  });
});
