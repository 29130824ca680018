import { describe, expect, it } from "vitest";
import { ID_PATTERN, newId } from "../../src/db/ids";

describe("newId", () => {
  it("is a readable prefix, a time-sortable head and a random tail", () => {
    const id = newId("trace", Date.UTC(2026, 0, 1));
    expect(id).toMatch(/^trace_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(id).toMatch(ID_PATTERN);
    expect(newId("trace", Date.UTC(2026, 0, 1)) < newId("trace", Date.UTC(2026, 0, 1, 0, 0, 0, 1))).toBe(true);
  });

  it("stays unique and uses the whole alphabet across many refills of its random pool", () => {
    const ids = Array.from({ length: 20_000 }, () => newId("job", 0));
    expect(new Set(ids).size).toBe(ids.length);
    const tails = new Set(ids.flatMap((id) => [...id.slice(-16)]));
    expect(tails.size).toBe(32);
  });
});
