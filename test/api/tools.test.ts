import { describe, expect, it } from "vitest";
import { AgentToolList, AgentToolSchema, ToolPage, ToolSchema } from "../../src/api/tools.schemas";
import { createAgent, createTool } from "../helpers/agent-factories";
import { expectError, makeTestApp, readJson } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";

async function setup() {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  const other = await createWorkspace(t.db);
  const builtIn = await createTool(t.db, null, { name: "email_search", category: "email" });
  const mine = await createTool(t.db, ws, { name: "lookup_order", category: "general" });
  const theirs = await createTool(t.db, other, { name: "their_tool" });
  const as = (path: string, options: Parameters<typeof t.request>[1] = {}) =>
    t.request(path, { workspace: ws.id, ...options });
  return { ...t, ws, other, builtIn, mine, theirs, as };
}

const schema = { type: "object", properties: { order_id: { type: "string" } }, required: ["order_id"] };

describe("the tool catalogue", () => {
  it("lists built-in tools and the workspace's own, never another workspace's", async () => {
    const { as, builtIn, mine } = await setup();
    const page = ToolPage.parse(await readJson(await as("/api/tools")));
    expect(page.tools.map((t) => t.id).sort()).toEqual([builtIn.id, mine.id].sort());
    expect(page.tools.find((t) => t.id === builtIn.id)).toMatchObject({ built_in: true, handler_key: "test_handler" });
    const email = ToolPage.parse(await readJson(await as("/api/tools?category=email")));
    expect(email.tools.map((t) => t.id)).toEqual([builtIn.id]);
    const first = ToolPage.parse(await readJson(await as("/api/tools?limit=1")));
    const second = ToolPage.parse(await readJson(await as(`/api/tools?limit=1&cursor=${first.next_cursor}`)));
    expect([...first.tools, ...second.tools].map((t) => t.id)).toEqual(page.tools.map((t) => t.id));
    expect(second.has_more).toBe(false);
    await expectError(await as("/api/tools?category=weather"), 400, "VALIDATION_ERROR");
  });

  it("gets a visible tool and 404s another workspace's", async () => {
    const { as, builtIn, mine, theirs } = await setup();
    expect(ToolSchema.parse(await readJson(await as(`/api/tools/${builtIn.id}`))).name).toBe("email_search");
    expect(ToolSchema.parse(await readJson(await as(`/api/tools/${mine.id}`))).built_in).toBe(false);
    await expectError(await as(`/api/tools/${theirs.id}`), 404, "NOT_FOUND");
    await expectError(await as("/api/tools/%20bad"), 400, "VALIDATION_ERROR");
  });

  it("creates a workspace tool; names of visible tools are taken (409)", async () => {
    const { as, request, other } = await setup();
    const body = { name: "refund", description: "Refund an order", parameters_schema: schema, category: "general" };
    const res = await as("/api/tools", { method: "POST", body });
    expect(res.status).toBe(201);
    const tool = ToolSchema.parse(await readJson(res));
    expect(tool).toMatchObject({ name: "refund", built_in: false, handler_key: null, parameters_schema: schema });
    expect(tool.id).toMatch(/^tool_/);
    await expectError(await as("/api/tools", { method: "POST", body }), 409, "ALREADY_EXISTS");
    const builtInName = { ...body, name: "email_search" };
    await expectError(await as("/api/tools", { method: "POST", body: builtInName }), 409, "ALREADY_EXISTS");
    const elsewhere = await request("/api/tools", { method: "POST", body, workspace: other.id });
    expect(elsewhere.status).toBe(201);
  });

  it("rejects bad tool definitions with 400", async () => {
    const { as } = await setup();
    const ok = { name: "t1", description: "d", parameters_schema: schema };
    const bad = [
      { ...ok, name: "has space" },
      { ...ok, name: "x".repeat(65) },
      { ...ok, description: "" },
      { ...ok, parameters_schema: { type: "string" } },
      { ...ok, parameters_schema: [1, 2] },
      { ...ok, parameters_schema: "{}" },
      { ...ok, parameters_schema: { type: "object", properties: { big: "x".repeat(70_000) } } },
      { ...ok, category: "weather" },
    ];
    for (const body of bad) {
      await expectError(await as("/api/tools", { method: "POST", body }), 400, "VALIDATION_ERROR");
    }
  });

  it("deletes only the workspace's own tools: built-in 403, another workspace's 404", async () => {
    const { as, db, ws, builtIn, mine, theirs } = await setup();
    const agent = await createAgent(db, ws);
    await as(`/api/agents/${agent.id}/tools`, { method: "POST", body: { tool_id: mine.id } });
    expect((await as(`/api/tools/${mine.id}`, { method: "DELETE" })).status).toBe(204);
    await expectError(await as(`/api/tools/${mine.id}`), 404, "NOT_FOUND");
    expect(AgentToolList.parse(await readJson(await as(`/api/agents/${agent.id}/tools`))).tools).toEqual([]);
    await expectError(await as(`/api/tools/${builtIn.id}`, { method: "DELETE" }), 403, "FORBIDDEN");
    await expectError(await as(`/api/tools/${theirs.id}`, { method: "DELETE" }), 404, "NOT_FOUND");
  });
});

describe("tools of an agent", () => {
  it("attaches with per-agent config (201), refuses a second attach (409), lists and detaches (204)", async () => {
    const { as, db, ws, builtIn, mine, clock } = await setup();
    const agent = await createAgent(db, ws);
    const url = `/api/agents/${agent.id}/tools`;
    const res = await as(url, { method: "POST", body: { tool_id: builtIn.id, config: { mailbox: "support@" } } });
    expect(res.status).toBe(201);
    expect(AgentToolSchema.parse(await readJson(res))).toMatchObject({
      id: builtIn.id,
      config: { mailbox: "support@" },
      attached_at: "2026-01-01T00:00:00.000Z",
    });
    clock.advance(1);
    expect((await as(url, { method: "POST", body: { tool_id: mine.id } })).status).toBe(201);
    await expectError(await as(url, { method: "POST", body: { tool_id: builtIn.id } }), 409, "ALREADY_EXISTS");
    const list = AgentToolList.parse(await readJson(await as(url)));
    // By tool id: built-in ids (`builtin_…`) sort before generated ones (`tool_…`).
    expect(list.tools.map((t) => [t.id, t.config])).toEqual([
      [builtIn.id, { mailbox: "support@" }],
      [mine.id, null],
    ]);
    expect((await as(`${url}/${builtIn.id}`, { method: "DELETE" })).status).toBe(204);
    await expectError(await as(`${url}/${builtIn.id}`, { method: "DELETE" }), 404, "NOT_FOUND");
  });

  it("404s another workspace's agent or tool, and 400s bad bodies", async () => {
    const { as, db, ws, other, builtIn, theirs } = await setup();
    const agent = await createAgent(db, ws);
    const theirAgent = await createAgent(db, other);
    const url = `/api/agents/${agent.id}/tools`;
    await expectError(await as(url, { method: "POST", body: { tool_id: theirs.id } }), 404, "NOT_FOUND");
    const foreign = `/api/agents/${theirAgent.id}/tools`;
    await expectError(await as(foreign, { method: "POST", body: { tool_id: builtIn.id } }), 404, "NOT_FOUND");
    await expectError(await as(foreign), 404, "NOT_FOUND");
    await expectError(await as(`${foreign}/${builtIn.id}`, { method: "DELETE" }), 404, "NOT_FOUND");
    for (const body of [
      {},
      { tool_id: 3 },
      { tool_id: builtIn.id, config: [1] },
      { tool_id: builtIn.id, config: { x: "y".repeat(70_000) } },
    ]) {
      await expectError(await as(url, { method: "POST", body }), 400, "VALIDATION_ERROR");
    }
  });
});
