import { describe, expect, it, vi } from "vitest";
import { AgentDetailSchema, AgentListSchema, AgentSchema, PromptSchema } from "../../src/api/agents.schemas";
import { newId } from "../../src/db/ids";
import { evals, tasksets, tasksetTasks } from "../../src/db/schema";
import { createAgent, createFeedback, createTrace, createVersion } from "../helpers/agent-factories";
import { expectError, makeTestApp, readJson } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const as = (path: string, options: Parameters<typeof t.request>[1] = {}) =>
    t.request(path, { workspace: ws.id, ...options });
  return { ...t, ws, as };
}

describe("POST /api/agents", () => {
  it("creates a confirmed agent (201) and refuses a duplicate name, archived agents included (409)", async () => {
    const { as, db, ws } = await setup();
    const res = await as("/api/agents", { method: "POST", body: { name: " Support bot ", description: "Helps" } });
    expect(res.status).toBe(201);
    const agent = AgentSchema.parse(await readJson(res));
    expect(agent).toMatchObject({
      name: "Support bot",
      description: "Helps",
      status: "confirmed",
      active_version_id: null,
    });
    await expectError(
      await as("/api/agents", { method: "POST", body: { name: "Support bot" } }),
      409,
      "ALREADY_EXISTS",
    );
    await createAgent(db, ws, { name: "Old", status: "archived" });
    await expectError(await as("/api/agents", { method: "POST", body: { name: "Old" } }), 409, "ALREADY_EXISTS");
  });

  it("allows the same name in two workspaces", async () => {
    const { as, db } = await setup();
    const other = await createWorkspace(db);
    await createAgent(db, other, { name: "Twin" });
    expect((await as("/api/agents", { method: "POST", body: { name: "Twin" } })).status).toBe(201);
  });

  it("rejects bad bodies with 400", async () => {
    const { as } = await setup();
    for (const body of [
      {},
      { name: "" },
      { name: "   " },
      { name: 5 },
      { name: "x".repeat(201) },
      { name: "a", description: 1 },
    ]) {
      await expectError(await as("/api/agents", { method: "POST", body }), 400, "VALIDATION_ERROR");
    }
  });
});

async function seedCounts(s: Awaited<ReturnType<typeof setup>>) {
  const { db, ws } = s;
  const agent = await createAgent(db, ws, { name: "Counted" });
  const v1 = await createVersion(db, agent, { active: true });
  const v2 = await createVersion(db, agent);
  const [t1, t2, t3] = [
    await createTrace(db, ws, { agentVersionId: v1.id, assignmentStatus: "assigned" }),
    await createTrace(db, ws, { agentVersionId: v2.id, assignmentStatus: "assigned" }),
    await createTrace(db, ws),
  ];
  await createFeedback(db, ws, t1, { rating: "positive" }); // agent-less, counted through its trace's version
  await createFeedback(db, ws, t2, { rating: "negative", agentId: agent.id });
  await createFeedback(db, ws, t3, { rating: "neutral", agentId: agent.id });
  await db.insert(evals).values([
    {
      id: newId("eval"),
      workspaceId: ws.id,
      agentId: agent.id,
      version: 1,
      name: "e1",
      code: "x",
      status: "active",
      accuracy: 0.8,
      executionCount: 10,
      contradictionCount: 2,
    },
    { id: newId("eval"), workspaceId: ws.id, agentId: agent.id, version: 2, name: "e2", code: "x" },
  ]);
  const taskset = { id: newId("taskset"), workspaceId: ws.id, agentId: agent.id, name: "ts" };
  await db.insert(tasksets).values(taskset);
  await db
    .insert(tasksetTasks)
    .values(["a", "b", "c"].map((m) => ({ id: newId("task"), tasksetId: taskset.id, userMessage: m, contentHash: m })));
  return { agent, v1, v2 };
}

describe("GET /api/agents", () => {
  it("lists agents with active version and grouped counts, and the pending discoveries", async () => {
    const s = await setup();
    const { agent, v1 } = await seedCounts(s);
    const empty = await createAgent(s.db, s.ws, { name: "Empty" });
    await createAgent(s.db, s.ws, { name: "Found", status: "discovered" });
    const list = AgentListSchema.parse(await readJson(await s.as("/api/agents")));
    expect(list.pending_discoveries).toBe(1);
    const byName = new Map(list.agents.map((a) => [a.name, a]));
    expect(byName.get("Counted")).toMatchObject({
      id: agent.id,
      active_version: { id: v1.id, version: 1, status: "active" },
      counts: { traces: 2, evals: 2, feedback: 3, tasks: 3 },
    });
    expect(byName.get("Empty")).toMatchObject({
      id: empty.id,
      active_version: null,
      counts: { traces: 0, evals: 0, feedback: 0, tasks: 0 },
    });
  });

  it("hides archived agents unless include_archived=true, and pages by cursor", async () => {
    const { as, db, ws } = await setup();
    const names = ["a1", "a2", "a3"];
    for (const name of names) {
      await createAgent(db, ws, { name });
    }
    await createAgent(db, ws, { name: "gone", status: "archived" });
    const visible = AgentListSchema.parse(await readJson(await as("/api/agents")));
    expect(visible.agents.map((a) => a.name).sort()).toEqual(names);
    const all: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `?include_archived=true&limit=3${cursor ? `&cursor=${cursor}` : ""}`;
      const page = AgentListSchema.parse(await readJson(await as(`/api/agents${q}`)));
      all.push(...page.agents.map((a) => a.name));
      cursor = page.next_cursor;
    } while (cursor);
    expect(all.sort()).toEqual([...names, "gone"]);
  });

  it("counts with a fixed number of grouped queries, however many agents are listed (no N+1)", async () => {
    const s = await setup();
    await seedCounts(s);
    await s.as("/api/agents"); // first request of a workspace also creates it (auth): not counted
    const statements = vi.spyOn(s.client, "execute");
    const queriesFor = async () => {
      statements.mockClear();
      expect((await s.as("/api/agents")).status).toBe(200);
      return statements.mock.calls.length;
    };
    const few = await queriesFor();
    expect(few).toBeGreaterThan(5);
    for (let i = 0; i < 20; i++) {
      const agent = await createAgent(s.db, s.ws);
      await createTrace(s.db, s.ws, { agentVersionId: (await createVersion(s.db, agent, { active: true })).id });
    }
    expect(await queriesFor()).toBe(few);
    statements.mockRestore();
  });

  it("rejects bad query values with 400", async () => {
    const { as } = await setup();
    for (const q of ["include_archived=yes", "limit=0", "limit=201", "cursor=e30"]) {
      await expectError(await as(`/api/agents?${q}`), 400, "VALIDATION_ERROR");
    }
  });
});

describe("GET /api/agents/:id", () => {
  it("returns the agent with its versions, active version and metrics", async () => {
    const s = await setup();
    const { agent, v1, v2 } = await seedCounts(s);
    const detail = AgentDetailSchema.parse(await readJson(await s.as(`/api/agents/${agent.id}`)));
    expect(detail.active_version?.id).toBe(v1.id);
    expect(detail.versions.map((v) => v.id)).toEqual([v2.id, v1.id]);
    expect(detail.metrics).toEqual({
      trace_count: 2,
      version_count: 2,
      feedback_count: 3,
      positive_count: 1,
      negative_count: 1,
      neutral_count: 1,
      eval_count: 2,
      task_count: 3,
      accuracy: 0.8,
      contradiction_rate: 0.2,
    });
  });

  it("404s unknown agents and other workspaces' agents; 400s malformed ids", async () => {
    const { as, db } = await setup();
    const theirs = await createAgent(db, await createWorkspace(db));
    await expectError(await as(`/api/agents/${theirs.id}`), 404, "NOT_FOUND");
    await expectError(await as("/api/agents/agent_missing"), 404, "NOT_FOUND");
    await expectError(await as("/api/agents/has%20space"), 400, "VALIDATION_ERROR");
  });
});

describe("PATCH, DELETE and confirm", () => {
  it("renames (409 on a taken name), archives softly and idempotently", async () => {
    const { as, db, ws, clock } = await setup();
    const agent = await createAgent(db, ws, { name: "One" });
    await createAgent(db, ws, { name: "Two" });
    clock.advance(60_000);
    const renamed = await as(`/api/agents/${agent.id}`, { method: "PATCH", body: { name: "Uno", description: null } });
    expect(AgentSchema.parse(await readJson(renamed))).toMatchObject({
      name: "Uno",
      description: null,
      updated_at: "2026-01-01T00:01:00.000Z",
    });
    await expectError(
      await as(`/api/agents/${agent.id}`, { method: "PATCH", body: { name: "Two" } }),
      409,
      "ALREADY_EXISTS",
    );
    await expectError(await as(`/api/agents/${agent.id}`, { method: "PATCH", body: {} }), 400, "VALIDATION_ERROR");

    expect((await as(`/api/agents/${agent.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await as(`/api/agents/${agent.id}`, { method: "DELETE" })).status).toBe(204);
    const list = AgentListSchema.parse(await readJson(await as("/api/agents")));
    expect(list.agents.map((a) => a.name)).toEqual(["Two"]);
    expect(AgentDetailSchema.parse(await readJson(await as(`/api/agents/${agent.id}`))).status).toBe("archived");
  });

  it("confirms a discovered agent, optionally renaming it; anything else is INVALID_STATE", async () => {
    const { as, db, ws } = await setup();
    const found = await createAgent(db, ws, { name: "cluster-7", status: "discovered" });
    const plain = await createAgent(db, ws, { name: "plain", status: "discovered" });
    const renamed = await as(`/api/agents/${found.id}/confirm`, { method: "POST", body: { name: "Billing bot" } });
    expect(AgentSchema.parse(await readJson(renamed))).toMatchObject({ name: "Billing bot", status: "confirmed" });
    const bare = await as(`/api/agents/${plain.id}/confirm`, { method: "POST" });
    expect(AgentSchema.parse(await readJson(bare))).toMatchObject({ name: "plain", status: "confirmed" });
    await expectError(await as(`/api/agents/${found.id}/confirm`, { method: "POST", body: {} }), 400, "INVALID_STATE");
    const third = await createAgent(db, ws, { name: "x", status: "discovered" });
    const malformed = { method: "POST", rawBody: "{bad", headers: { "Content-Type": "application/json" } };
    await expectError(await as(`/api/agents/${third.id}/confirm`, malformed), 400, "VALIDATION_ERROR");
    await expectError(
      await as(`/api/agents/${third.id}/confirm`, { method: "POST", body: { name: 7 } }),
      400,
      "VALIDATION_ERROR",
    );
    await expectError(
      await as(`/api/agents/${third.id}/confirm`, { method: "POST", body: { name: "Billing bot" } }),
      409,
      "ALREADY_EXISTS",
    );
  });
});

describe("GET /api/agents/:id/prompt", () => {
  it("serves the active prompt with a strong ETag and answers 304 to a matching If-None-Match", async () => {
    const { as, db, ws } = await setup();
    const agent = await createAgent(db, ws);
    await expectError(await as(`/api/agents/${agent.id}/prompt`), 404, "NOT_FOUND");
    const v1 = await createVersion(db, agent, { active: true, promotedAt: "2026-01-01T00:00:00.000Z" });
    const res = await as(`/api/agents/${agent.id}/prompt`);
    expect(PromptSchema.parse(await readJson(res))).toEqual({
      template: v1.promptTemplate,
      version: 1,
      version_id: v1.id,
      variables: ["company"],
      updated_at: "2026-01-01T00:00:00.000Z",
    });
    const etag = res.headers.get("ETag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, "*"]) {
      const cached = await as(`/api/agents/${agent.id}/prompt`, { headers: { "If-None-Match": header } });
      expect(cached.status, header).toBe(304);
      expect(await cached.text()).toBe("");
      expect(cached.headers.get("ETag")).toBe(etag);
    }
    const stale = await as(`/api/agents/${agent.id}/prompt`, { headers: { "If-None-Match": '"stale"' } });
    expect(stale.status).toBe(200);

    const v2 = await createVersion(db, agent, { promptTemplate: "New {{tone}}", variables: ["tone"] });
    await as(`/api/agents/${agent.id}/versions/${v2.version}/promote`, { method: "POST" });
    const changed = await as(`/api/agents/${agent.id}/prompt`, { headers: { "If-None-Match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("ETag")).not.toBe(etag);
    expect(PromptSchema.parse(await readJson(changed))).toMatchObject({ version: 2, variables: ["tone"] });
  });
});
