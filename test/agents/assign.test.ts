import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { assignIngestedTraces, assignTracesToVersions } from "../../src/agents";
import type { Ctx } from "../../src/context";
import { traces } from "../../src/db/schema";
import { createAgent, createTrace, createVersion } from "../helpers/agent-factories";
import { makeTestApp } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const ctx: Ctx = {
    db: t.db,
    workspaceId: ws.id,
    actor: { kind: "local", role: "owner", apiKeyId: undefined },
    requestId: "req-test",
    deps: t.deps,
  };
  return { ...t, ws, ctx };
}

async function versionOf(db: Ctx["db"], traceId: string) {
  const [row] = await db.select().from(traces).where(eq(traces.id, traceId));
  return [row?.agentVersionId ?? null, row?.assignmentStatus];
}

describe("assignTracesToVersions", () => {
  it("assigns a trace to the version whose template its system prompt fills", async () => {
    const { ctx, db, ws, clock } = await setup();
    const support = await createAgent(db, ws, { name: "support" });
    const sales = await createAgent(db, ws, { name: "sales" });
    const sv = await createVersion(db, support, { promptTemplate: "You support {{product}} users.", active: true });
    const lv = await createVersion(db, sales, { promptTemplate: "You sell {{product}} to {{segment}}." });
    clock.advance(1_000);
    const a = await createTrace(db, ws, { systemPrompt: "You support Widget users." });
    const b = await createTrace(db, ws, { systemPrompt: "  You sell Widget to big\nbanks.\n" });
    const c = await createTrace(db, ws, { systemPrompt: "Something else entirely." });
    const d = await createTrace(db, ws);
    const result = await assignTracesToVersions(ctx, [a.id, b.id, c.id, d.id]);
    expect(Object.fromEntries(result.assigned)).toEqual({ [a.id]: sv.id, [b.id]: lv.id });
    expect(result.unmatched).toEqual([c.id]);
    expect(await versionOf(db, a.id)).toEqual([sv.id, "assigned"]);
    expect(await versionOf(db, b.id)).toEqual([lv.id, "assigned"]);
    expect(await versionOf(db, c.id)).toEqual([null, "unassigned"]);
  });

  it("prefers the active version, then the newest, when several templates match", async () => {
    const { ctx, db, ws, clock } = await setup();
    const agent = await createAgent(db, ws);
    const other = await createAgent(db, ws);
    const old = await createVersion(db, agent, { promptTemplate: "Hi {{x}}", createdAt: "2026-01-01T00:00:00.000Z" });
    const newer = await createVersion(db, other, { promptTemplate: "Hi {{y}}", createdAt: "2026-01-02T00:00:00.000Z" });
    const trace = await createTrace(db, ws, { systemPrompt: "Hi there" });
    await assignTracesToVersions(ctx, [trace.id]);
    expect((await versionOf(db, trace.id))[0]).toBe(newer.id);

    const active = await createVersion(db, agent, { promptTemplate: "Hi {{z}}", active: true });
    clock.advance(1);
    const second = await createTrace(db, ws, { systemPrompt: "Hi again" });
    await assignTracesToVersions(ctx, [second.id]);
    expect((await versionOf(db, second.id))[0]).toBe(active.id);
    expect(old.id).not.toBe(active.id);
  });

  it("never overwrites an assignment, nor touches other workspaces' traces or archived agents' versions", async () => {
    const { ctx, db, ws } = await setup();
    const agent = await createAgent(db, ws);
    const manual = await createVersion(db, agent, { promptTemplate: "Manual" });
    await createVersion(db, agent, { promptTemplate: "Hello {{name}}" });
    const archived = await createAgent(db, ws, { status: "archived" });
    await createVersion(db, archived, { promptTemplate: "Bye {{name}}" });
    const kept = await createTrace(db, ws, { systemPrompt: "Hello Ann", agentVersionId: manual.id });
    const bye = await createTrace(db, ws, { systemPrompt: "Bye Ann" });
    const other = await createWorkspace(db);
    const foreign = await createTrace(db, other, { systemPrompt: "Hello Ann" });
    const result = await assignTracesToVersions(ctx, [kept.id, bye.id, foreign.id]);
    expect(result.assigned.size).toBe(0);
    expect(result.unmatched).toEqual([bye.id]);
    expect((await versionOf(db, kept.id))[0]).toBe(manual.id);
    expect((await versionOf(db, foreign.id))[0]).toBeNull();
  });

  it("handles more traces than one statement may bind (chunked updates in one batch)", async () => {
    const { ctx, db, ws } = await setup();
    const agent = await createAgent(db, ws);
    const version = await createVersion(db, agent, { promptTemplate: "Ticket {{n}} for {{team}}" });
    const rows = Array.from({ length: 250 }, (_, i) => ({
      id: `trace_bulk${String(i).padStart(4, "0")}`,
      workspaceId: ws.id,
      source: "api" as const,
      externalId: `bulk-${i}`,
      systemPrompt: `Ticket ${i} for team-${i % 7}`,
    }));
    for (let i = 0; i < rows.length; i += 10) {
      await db.insert(traces).values(rows.slice(i, i + 10));
    }
    const ids = rows.map((r) => r.id);
    const result = await assignTracesToVersions(ctx, ids);
    expect(result.assigned.size).toBe(250);
    const stored = await db
      .select()
      .from(traces)
      .where(inArray(traces.agentVersionId, [version.id]));
    expect(stored).toHaveLength(250);
  });
});

describe("assignIngestedTraces", () => {
  it("matches the prompts it is given without reading them back, never overwriting an assignment or another workspace", async () => {
    const { ctx, db, ws } = await setup();
    const agent = await createAgent(db, ws);
    const manual = await createVersion(db, agent, { promptTemplate: "Manual" });
    const version = await createVersion(db, agent, { promptTemplate: "Hello {{name}}" });
    const fresh = await createTrace(db, ws, { systemPrompt: "Hello Ann" });
    const kept = await createTrace(db, ws, { systemPrompt: "Hello Bob", agentVersionId: manual.id });
    const noPrompt = await createTrace(db, ws);
    const foreign = await createTrace(db, await createWorkspace(db), { systemPrompt: "Hello Cy" });
    await assignIngestedTraces(ctx, [
      { id: fresh.id, systemPrompt: "Hello Ann" },
      { id: kept.id, systemPrompt: "Hello Bob" },
      { id: noPrompt.id, systemPrompt: null },
      { id: foreign.id, systemPrompt: "Hello Cy" },
    ]);
    expect(await versionOf(db, fresh.id)).toEqual([version.id, "assigned"]);
    expect((await versionOf(db, kept.id))[0]).toBe(manual.id);
    expect((await versionOf(db, noPrompt.id))[0]).toBeNull();
    expect((await versionOf(db, foreign.id))[0]).toBeNull();
  });
});
