import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  AgentDetailSchema,
  AgentVersionPage,
  AgentVersionSchema,
  AssignTracesResponse,
  TraceAssignmentSchema,
} from "../../src/api/agents.schemas";
import { agents, agentVersions, traces } from "../../src/db/schema";
import { createAgent, createTrace, createVersion } from "../helpers/agent-factories";
import { expectError, makeTestApp, readJson } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const agent = await createAgent(t.db, ws);
  const as = (path: string, options: Parameters<typeof t.request>[1] = {}) =>
    t.request(path, { workspace: ws.id, ...options });
  const versions = `/api/agents/${agent.id}/versions`;
  return { ...t, ws, agent, as, versions };
}

describe("POST /api/agents/:id/versions", () => {
  it("adds candidates numbered max+1, parented to the active version, variables from the template", async () => {
    const { as, db, agent, versions } = await setup();
    const first = AgentVersionSchema.parse(
      await readJson(
        await as(versions, { method: "POST", body: { prompt_template: "Help {{user}} at {{ company }}" } }),
      ),
    );
    expect(first).toMatchObject({
      version: 1,
      status: "candidate",
      source: "manual",
      parent_version_id: null,
      variables: ["user", "company"],
      promoted_at: null,
    });
    await db.update(agentVersions).set({ status: "active" }).where(eq(agentVersions.id, first.id));
    await db.update(agents).set({ activeVersionId: first.id }).where(eq(agents.id, agent.id));
    const res = await as(versions, {
      method: "POST",
      body: { prompt_template: "Help {{user}}", variables: ["user", "user", "extra"], source: "ai_improved" },
    });
    expect(res.status).toBe(201);
    expect(AgentVersionSchema.parse(await readJson(res))).toMatchObject({
      version: 2,
      parent_version_id: first.id,
      variables: ["user", "extra"],
      source: "ai_improved",
    });
  });

  it("gives concurrent creates distinct numbers", async () => {
    const { as, versions } = await setup();
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => as(versions, { method: "POST", body: { prompt_template: `v${i}` } })),
    );
    const numbers = await Promise.all(responses.map(async (r) => AgentVersionSchema.parse(await readJson(r)).version));
    expect(numbers.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("rejects bad bodies (400) and unknown or foreign agents (404)", async () => {
    const { as, db, versions } = await setup();
    for (const body of [
      {},
      { prompt_template: "" },
      { prompt_template: 3 },
      { prompt_template: "x", variables: ["has space"] },
      { prompt_template: "x", source: "magic" },
    ]) {
      await expectError(await as(versions, { method: "POST", body }), 400, "VALIDATION_ERROR");
    }
    const theirs = await createAgent(db, await createWorkspace(db));
    const foreign = await as(`/api/agents/${theirs.id}/versions`, { method: "POST", body: { prompt_template: "x" } });
    await expectError(foreign, 404, "NOT_FOUND");
  });
});

describe("GET versions", () => {
  it("lists newest first with cursor paging and gets one by number", async () => {
    const { as, db, agent, versions } = await setup();
    for (let i = 0; i < 5; i++) {
      await createVersion(db, agent);
    }
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = AgentVersionPage.parse(await readJson(await as(`${versions}${q}`)));
      seen.push(...page.versions.map((v) => v.version));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([5, 4, 3, 2, 1]);
    expect(AgentVersionSchema.parse(await readJson(await as(`${versions}/3`))).version).toBe(3);
    await expectError(await as(`${versions}/6`), 404, "NOT_FOUND");
  });

  it("rejects version numbers that are not positive integers and bad cursors with 400", async () => {
    const { as, versions } = await setup();
    for (const n of ["abc", "0", "-1", "1.5", "99999999999999"]) {
      await expectError(await as(`${versions}/${n}`), 400, "VALIDATION_ERROR");
    }
    await expectError(await as(`${versions}?cursor=eyJ2ZXJzaW9uIjoiMyJ9`), 400, "VALIDATION_ERROR");
  });
});

describe("promote and reject", () => {
  it("promotes atomically: one active version, the old one archived, the agent repointed", async () => {
    const { as, db, agent, versions, clock } = await setup();
    const v1 = await createVersion(db, agent, { active: true });
    const v2 = await createVersion(db, agent);
    clock.advance(5_000);
    const res = await as(`${versions}/2/promote`, { method: "POST" });
    expect(AgentVersionSchema.parse(await readJson(res))).toMatchObject({
      id: v2.id,
      status: "active",
      promoted_at: "2026-01-01T00:00:05.000Z",
    });
    const detail = AgentDetailSchema.parse(await readJson(await as(`/api/agents/${agent.id}`)));
    expect(detail.active_version_id).toBe(v2.id);
    expect(detail.versions.map((v) => [v.version, v.status])).toEqual([
      [2, "active"],
      [1, "archived"],
    ]);
    await expectError(await as(`${versions}/2/promote`, { method: "POST" }), 400, "INVALID_STATE");
    // An archived version may come back (a rollback).
    expect((await as(`${versions}/1/promote`, { method: "POST" })).status).toBe(200);
    const [row] = await db.select().from(agents).where(eq(agents.id, agent.id));
    expect(row?.activeVersionId).toBe(v1.id);
  });

  it("leaves exactly one active version after concurrent promotions", async () => {
    const { as, db, agent, versions } = await setup();
    await createVersion(db, agent, { active: true });
    for (let i = 0; i < 6; i++) {
      await createVersion(db, agent);
    }
    const results = await Promise.all(
      [2, 3, 4, 5, 6, 7].map((n) => as(`${versions}/${n}/promote`, { method: "POST" })),
    );
    expect(results.every((r) => r.status === 200 || r.status === 400)).toBe(true);
    const rows = await db.select().from(agentVersions).where(eq(agentVersions.agentId, agent.id));
    const active = rows.filter((v) => v.status === "active");
    expect(active).toHaveLength(1);
    const [row] = await db.select().from(agents).where(eq(agents.id, agent.id));
    expect(row?.activeVersionId).toBe(active[0]?.id);
  });

  it("rejects candidates, never the active version; a rejected version cannot be promoted", async () => {
    const { as, db, agent, versions } = await setup();
    await createVersion(db, agent, { active: true });
    await createVersion(db, agent);
    const rejected = await as(`${versions}/2/reject`, { method: "POST" });
    expect(AgentVersionSchema.parse(await readJson(rejected)).status).toBe("rejected");
    await expectError(await as(`${versions}/2/reject`, { method: "POST" }), 400, "INVALID_STATE");
    await expectError(await as(`${versions}/2/promote`, { method: "POST" }), 400, "INVALID_STATE");
    await expectError(await as(`${versions}/1/reject`, { method: "POST" }), 400, "INVALID_STATE");
    await expectError(await as(`${versions}/9/reject`, { method: "POST" }), 404, "NOT_FOUND");
  });
});

describe("manual trace assignment", () => {
  it("assigns one trace to a version and unassigns it with null", async () => {
    const { as, db, ws, agent } = await setup();
    const version = await createVersion(db, agent);
    const trace = await createTrace(db, ws);
    const res = await as(`/api/traces/${trace.id}/assign`, { method: "POST", body: { agent_version_id: version.id } });
    expect(TraceAssignmentSchema.parse(await readJson(res))).toEqual({
      trace_id: trace.id,
      agent_version_id: version.id,
      agent_id: agent.id,
      assignment_status: "assigned",
    });
    const cleared = await as(`/api/traces/${trace.id}/assign`, { method: "POST", body: { agent_version_id: null } });
    expect(TraceAssignmentSchema.parse(await readJson(cleared))).toMatchObject({
      agent_version_id: null,
      assignment_status: "unassigned",
    });
    await expectError(
      await as(`/api/traces/${trace.id}/assign`, { method: "POST", body: {} }),
      400,
      "VALIDATION_ERROR",
    );
  });

  it("404s a version or trace of another workspace", async () => {
    const { as, db, ws, agent } = await setup();
    const other = await createWorkspace(db);
    const theirVersion = await createVersion(db, await createAgent(db, other));
    const theirTrace = await createTrace(db, other);
    const mine = await createTrace(db, ws);
    const myVersion = await createVersion(db, agent);
    const cases = [
      [mine.id, theirVersion.id],
      [theirTrace.id, myVersion.id],
      [theirTrace.id, null],
    ] as const;
    for (const [traceId, versionId] of cases) {
      const res = await as(`/api/traces/${traceId}/assign`, { method: "POST", body: { agent_version_id: versionId } });
      await expectError(res, 404, "NOT_FOUND");
    }
    const [row] = await db.select().from(traces).where(eq(traces.id, theirTrace.id));
    expect(row?.agentVersionId).toBeNull();
  });

  it("assigns many traces to version n, all or none", async () => {
    const { as, db, ws, agent, versions } = await setup();
    const version = await createVersion(db, agent);
    const mine = await Promise.all(Array.from({ length: 120 }, () => createTrace(db, ws)));
    const ids = mine.map((t) => t.id);
    const res = await as(`${versions}/1/traces`, { method: "POST", body: { trace_ids: [...ids, ids[0]] } });
    expect(AssignTracesResponse.parse(await readJson(res))).toEqual({
      agent_version_id: version.id,
      version: 1,
      assigned_count: 120,
    });
    const assigned = await db.select().from(traces).where(eq(traces.agentVersionId, version.id));
    expect(assigned).toHaveLength(120);

    const theirs = await createTrace(db, await createWorkspace(db));
    const fresh = await createTrace(db, ws);
    const refused = await as(`${versions}/1/traces`, { method: "POST", body: { trace_ids: [fresh.id, theirs.id] } });
    expect(refused.status).toBe(404);
    expect((await readJson(refused)).error.details).toEqual([{ trace_ids: [theirs.id] }]);
    const [untouched] = await db.select().from(traces).where(eq(traces.id, fresh.id));
    expect(untouched?.agentVersionId).toBeNull();

    for (const body of [{ trace_ids: [] }, { trace_ids: Array.from({ length: 501 }, (_, i) => `trace_${i}`) }]) {
      await expectError(await as(`${versions}/1/traces`, { method: "POST", body }), 400, "VALIDATION_ERROR");
    }
  });
});
