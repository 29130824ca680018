import { describe, expect, it } from "vitest";
import { mergeTraces } from "../../../src/traces/model";
import { at, span, trace } from "./builders";

describe("mergeTraces", () => {
  it("upserts: a span sent again replaces the stored one, new spans are added in time order", () => {
    const first = trace([span("child", { parent_span_id: "root", started_at: at(100), name: "v1" })], {
      started_at: at(100),
      ended_at: at(200),
    });
    const second = trace(
      [
        span("root", { started_at: at(0), name: "agent" }),
        span("child", { parent_span_id: "root", started_at: at(100), name: "v2" }),
      ],
      { name: "agent", started_at: at(0), ended_at: at(150), tags: ["b"] },
    );
    const merged = mergeTraces({ ...first, tags: ["a"], metadata: { x: 1 } }, { ...second, metadata: { y: 2 } });
    expect(merged.spans.map((s) => [s.span_id, s.name])).toEqual([
      ["root", "agent"],
      ["child", "v2"],
    ]);
    expect(merged).toMatchObject({
      name: "agent",
      started_at: at(0),
      ended_at: at(200),
      tags: ["a", "b"],
      metadata: { x: 1, y: 2 },
    });
  });

  it("keeps the stored name and ids when a later batch has no root", () => {
    const stored = trace([span("root")], { name: "agent", user_id: "u-1", session_id: "s-1" });
    const later = trace([span("child", { parent_span_id: "root" })]);
    expect(mergeTraces(stored, later)).toMatchObject({ name: "agent", user_id: "u-1", session_id: "s-1" });
  });
});
