import { describe, expect, it } from "vitest";
import { FeedbackHistoryPage, LabelResponse } from "../../src/api/feedback.schemas";
import { createTrace } from "../helpers/agent-factories";
import { makeTestApp, readJson } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const trace = await createTrace(t.db, ws);
  const as = (path: string, options: Parameters<typeof t.request>[1] = {}) =>
    t.request(path, { workspace: ws.id, ...options });
  return { ...t, ws, trace, as };
}

describe("feedback history", () => {
  it("keeps who, when, before and after for every change, readable after deletion", async () => {
    const { as, trace, clock } = await setup();
    const post = (rating: string, notes?: string) =>
      as("/api/feedback", { method: "POST", body: { trace_id: trace.id, rating, notes } });
    const { id } = LabelResponse.parse(await readJson(await post("positive", "fine")));
    clock.advance(1_000);
    await post("negative");
    clock.advance(1_000);
    await post("negative"); // no change: no history row
    await as(`/api/feedback/${id}`, { method: "PATCH", body: { notes: "wrong tool" } });
    clock.advance(1_000);
    await as(`/api/feedback/${id}`, { method: "DELETE" });

    const page = FeedbackHistoryPage.parse(await readJson(await as(`/api/feedback/${id}/history`)));
    expect(page.history.every((h) => h.feedback_id === id && h.trace_id === trace.id && h.actor === "local")).toBe(
      true,
    );
    const rows = page.history.map((h) => [
      h.change,
      h.rating_before,
      h.rating_after,
      h.notes_before,
      h.notes_after,
      h.created_at.slice(11),
    ]);
    expect(rows).toEqual([
      ["created", null, "positive", null, "fine", "00:00:00.000Z"],
      ["updated", "positive", "negative", "fine", "fine", "00:00:01.000Z"],
      ["updated", "negative", "negative", "fine", "wrong tool", "00:00:02.000Z"],
      ["deleted", "negative", null, "wrong tool", null, "00:00:03.000Z"],
    ]);
  });

  it("lists a trace's history across a deleted and a re-created label, with paging", async () => {
    const { as, trace, clock } = await setup();
    const post = (rating: string) => as("/api/feedback", { method: "POST", body: { trace_id: trace.id, rating } });
    const first = LabelResponse.parse(await readJson(await post("positive")));
    clock.advance(1);
    await as(`/api/feedback/${first.id}`, { method: "DELETE" });
    clock.advance(1);
    const second = LabelResponse.parse(await readJson(await post("neutral")));
    expect(second.id).not.toBe(first.id);

    const changes: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=1&cursor=${cursor}` : "?limit=1";
      const page = FeedbackHistoryPage.parse(await readJson(await as(`/api/traces/${trace.id}/feedback-history${q}`)));
      changes.push(...page.history.map((h) => `${h.feedback_id === first.id ? "first" : "second"}:${h.change}`));
      cursor = page.next_cursor;
    } while (cursor);
    expect(changes).toEqual(["first:created", "first:deleted", "second:created"]);
  });

  it("404s history of unknown labels and of traces of another workspace", async () => {
    const { as, db } = await setup();
    expect((await as("/api/feedback/fb_nothing/history")).status).toBe(404);
    const other = await createWorkspace(db);
    const theirs = await createTrace(db, other);
    const res = await as(`/api/traces/${theirs.id}/feedback-history`);
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe("NOT_FOUND");
  });
});
