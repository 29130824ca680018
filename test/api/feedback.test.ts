import { describe, expect, it } from "vitest";
import { FeedbackPage, FeedbackSchema, LabelResponse } from "../../src/api/feedback.schemas";
import { createAgent, createFeedback, createTrace, createVersion } from "../helpers/agent-factories";
import { makeTestApp, readJson } from "../helpers/app";
import { createApiKey, createWorkspace } from "../helpers/factories";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const trace = await createTrace(t.db, ws);
  const as = (path: string, options: Parameters<typeof t.request>[1] = {}) =>
    t.request(path, { workspace: ws.id, ...options });
  return { ...t, ws, trace, as };
}

describe("POST /api/feedback", () => {
  it("creates the trace's label (201), then updates the same label (200, updated: true)", async () => {
    const { as, trace, clock } = await setup();
    const created = await as("/api/feedback", {
      method: "POST",
      body: { trace_id: trace.id, rating: "positive", notes: "good answer" },
    });
    expect(created.status).toBe(201);
    const first = LabelResponse.parse(await readJson(created));
    expect(first).toMatchObject({ trace_id: trace.id, rating: "positive", notes: "good answer", agent_id: null });
    expect(first).toMatchObject({ updated: false, created_by: "local", created_at: "2026-01-01T00:00:00.000Z" });

    clock.advance(1_000);
    const again = await as("/api/feedback", { method: "POST", body: { trace_id: trace.id, rating: "negative" } });
    expect(again.status).toBe(200);
    const second = LabelResponse.parse(await readJson(again));
    expect(second).toMatchObject({ id: first.id, rating: "negative", notes: "good answer", updated: true });
    expect(second.updated_at).toBe("2026-01-01T00:00:01.000Z");
  });

  it("records the agent when given, and 404s an agent or trace of another workspace", async () => {
    const { as, db, ws, trace } = await setup();
    const agent = await createAgent(db, ws);
    const res = await as("/api/feedback", {
      method: "POST",
      body: { trace_id: trace.id, rating: "neutral", agent_id: agent.id },
    });
    expect(LabelResponse.parse(await readJson(res)).agent_id).toBe(agent.id);

    const other = await createWorkspace(db);
    const theirAgent = await createAgent(db, other);
    const theirTrace = await createTrace(db, other);
    for (const body of [
      { trace_id: trace.id, rating: "neutral", agent_id: theirAgent.id },
      { trace_id: theirTrace.id, rating: "neutral" },
      { trace_id: "trace_doesnotexist", rating: "neutral" },
    ]) {
      const r = await as("/api/feedback", { method: "POST", body });
      expect(r.status).toBe(404);
      expect((await readJson(r)).error.code).toBe("NOT_FOUND");
    }
  });

  it("rejects bad input with 400 VALIDATION_ERROR", async () => {
    const { as, trace } = await setup();
    const bodies = [
      { trace_id: trace.id, rating: "great" },
      { trace_id: trace.id },
      { trace_id: 42, rating: "positive" },
      { trace_id: "not an id", rating: "positive" },
      { trace_id: trace.id, rating: "positive", notes: "x".repeat(10_001) },
      { trace_id: trace.id, rating: "positive", notes: 7 },
    ];
    for (const body of bodies) {
      const res = await as("/api/feedback", { method: "POST", body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
    }
    const malformed = await as("/api/feedback", {
      method: "POST",
      rawBody: "{not json",
      headers: { "Content-Type": "application/json" },
    });
    expect(malformed.status).toBe(400);
  });

  it("records the API key as the author in key mode", async () => {
    const t = await makeTestApp({ env: { AUTH_MODE: "key" } });
    const ws = await createWorkspace(t.db);
    const key = await createApiKey(t.db, ws, "member");
    const trace = await createTrace(t.db, ws);
    const res = await t.request("/api/feedback", {
      method: "POST",
      apiKey: key.key,
      body: { trace_id: trace.id, rating: "positive" },
    });
    expect(LabelResponse.parse(await readJson(res)).created_by).toBe(key.id);
  });
});

describe("labels without an agent", () => {
  it("are listed, read, edited and deleted like any other", async () => {
    const { as, trace } = await setup();
    const label = LabelResponse.parse(
      await readJson(await as("/api/feedback", { method: "POST", body: { trace_id: trace.id, rating: "negative" } })),
    );
    expect(label.agent_id).toBeNull();
    const list = FeedbackPage.parse(await readJson(await as("/api/feedback")));
    expect(list.feedback.map((f) => f.id)).toEqual([label.id]);
    expect(FeedbackSchema.parse(await readJson(await as(`/api/feedback/${label.id}`))).rating).toBe("negative");

    const patched = await as(`/api/feedback/${label.id}`, {
      method: "PATCH",
      body: { rating: "positive", notes: "ok" },
    });
    expect(FeedbackSchema.parse(await readJson(patched))).toMatchObject({ rating: "positive", notes: "ok" });

    expect((await as(`/api/feedback/${label.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await as(`/api/feedback/${label.id}`)).status).toBe(404);
    expect(FeedbackPage.parse(await readJson(await as("/api/feedback"))).feedback).toEqual([]);
  });
});

describe("PATCH and DELETE /api/feedback/:id", () => {
  it("clears notes with null and refuses an empty or invalid patch", async () => {
    const { as, db, ws, trace } = await setup();
    const label = await createFeedback(db, ws, trace, { notes: "keep?" });
    const cleared = await as(`/api/feedback/${label.id}`, { method: "PATCH", body: { notes: null } });
    expect(FeedbackSchema.parse(await readJson(cleared))).toMatchObject({ notes: null, rating: "positive" });
    for (const body of [{}, { rating: "meh" }, { rating: null }]) {
      const res = await as(`/api/feedback/${label.id}`, { method: "PATCH", body });
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
    }
  });

  it("answers 404 for unknown ids, malformed ids with 400", async () => {
    const { as } = await setup();
    expect((await as("/api/feedback/fb_unknown0000", { method: "PATCH", body: { rating: "positive" } })).status).toBe(
      404,
    );
    expect((await as("/api/feedback/fb_unknown0000", { method: "DELETE" })).status).toBe(404);
    const bad = await as(`/api/feedback/${encodeURIComponent("../../etc")}`);
    expect(bad.status).toBe(400);
  });
});

describe("GET /api/feedback", () => {
  async function seeded() {
    const s = await setup();
    const agent = await createAgent(s.db, s.ws);
    const ratings = ["positive", "negative", "neutral", "positive", "negative"] as const;
    const rows = [];
    for (const [i, rating] of ratings.entries()) {
      const trace = await createTrace(s.db, s.ws);
      const at = `2026-02-0${i + 1}T10:00:00.000Z`;
      rows.push(await createFeedback(s.db, s.ws, trace, { rating, agentId: i % 2 ? agent.id : null, createdAt: at }));
    }
    return { ...s, agent, rows };
  }

  it("pages newest first with opaque cursors, never skipping or repeating a label", async () => {
    const { as, rows } = await seeded();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = FeedbackPage.parse(await readJson(await as(`/api/feedback${query}`)));
      seen.push(...page.feedback.map((f) => f.id));
      expect(page.has_more).toBe(page.next_cursor !== null);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual(rows.map((r) => r.id).reverse());
  });

  it("filters by rating (csv), agent, trace and created_at range", async () => {
    const { as, db, ws, rows, agent } = await seeded();
    // No agent named, but the trace is assigned to the agent's version: it counts for the agent.
    const version = await createVersion(db, agent);
    const assigned = await createTrace(db, ws, { agentVersionId: version.id });
    const r5 = (await createFeedback(db, ws, assigned, { createdAt: "2026-01-01T00:00:00.000Z" })).id;
    const ids = async (query: string) =>
      FeedbackPage.parse(await readJson(await as(`/api/feedback?${query}`))).feedback.map((f) => f.id);
    const [r0, r1, r2, r3, r4] = rows.map((r) => r.id);
    expect(await ids("rating=positive,neutral")).toEqual([r3, r2, r0, r5]);
    expect(await ids(`agent_id=${agent.id}`)).toEqual([r3, r1, r5]);
    expect(await ids(`trace_id=${rows[4]?.traceId}`)).toEqual([r4]);
    const from = encodeURIComponent("2026-02-02T10:00:00Z");
    const to = encodeURIComponent("2026-02-04T12:00:00+02:00");
    expect(await ids(`date_from=${from}&date_to=${to}`)).toEqual([r3, r2, r1]);
  });

  it("rejects unknown ratings, bad dates, bad cursors and out-of-range limits with 400", async () => {
    const { as } = await seeded();
    for (const query of [
      "rating=positive,great",
      "rating=",
      "date_from=yesterday",
      "cursor=bm90LWEtY3Vyc29y",
      "cursor=%%%",
      "limit=0",
      "limit=-5",
      "limit=100000",
      "limit=abc",
    ]) {
      const res = await as(`/api/feedback?${query}`);
      expect(res.status, query).toBe(400);
      expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
    }
  });
});

describe("isolation", () => {
  it("hides another workspace's labels from lists, reads and writes", async () => {
    const { as, db } = await setup();
    const other = await createWorkspace(db);
    const theirs = await createFeedback(db, other, await createTrace(db, other), { agentId: null });
    expect(FeedbackPage.parse(await readJson(await as("/api/feedback"))).feedback).toEqual([]);
    for (const [method, body] of [
      ["GET", undefined],
      ["PATCH", { rating: "negative" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await as(`/api/feedback/${theirs.id}`, { method, body });
      expect(res.status).toBe(404);
    }
    expect((await as(`/api/feedback/${theirs.id}/history`)).status).toBe(404);
  });
});
