import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { newId } from "../../src/db/ids";
import { traces, workspaces } from "../../src/db/schema";

// The batched writes (promotion, label + history INSERT … SELECT, chunked assignment) on real D1.

async function call(
  ws: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { "X-Workspace-Id": ws, ...init.headers };
  if (init.body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  return exports.default.fetch(
    new Request(`http://iofold.test${path}`, { method: init.method ?? "GET", headers, body }),
  );
}

async function workspaceWithTraces(count: number, systemPrompt?: (i: number) => string) {
  const db = createDb(env.DB);
  const ws = newId("workspace");
  await db.insert(workspaces).values({ id: ws, name: "d1" });
  const ids = Array.from({ length: count }, () => newId("trace"));
  for (const [i, id] of ids.entries()) {
    await db
      .insert(traces)
      .values({ id, workspaceId: ws, source: "api", externalId: id, systemPrompt: systemPrompt?.(i) ?? null });
  }
  return { ws, ids };
}

describe("labels on D1", () => {
  it("upserts a label and keeps its history", async () => {
    const { ws, ids } = await workspaceWithTraces(1);
    const traceId = ids[0] ?? "";
    const created = await call(ws, "/api/feedback", {
      method: "POST",
      body: { trace_id: traceId, rating: "positive" },
    });
    expect(created.status).toBe(201);
    const { id } = await created.json<{ id: string }>();
    const updated = await call(ws, "/api/feedback", {
      method: "POST",
      body: { trace_id: traceId, rating: "negative", notes: "wrong" },
    });
    expect(updated.status).toBe(200);
    expect((await call(ws, `/api/feedback/${id}`, { method: "DELETE" })).status).toBe(204);
    const history = await (await call(ws, `/api/feedback/${id}/history`)).json<{ history: { change: string }[] }>();
    expect(history.history.map((h) => h.change)).toEqual(["created", "updated", "deleted"]);
  });
});

describe("agents and versions on D1", () => {
  it("promotes atomically under concurrency and serves the prompt with an ETag", async () => {
    const { ws } = await workspaceWithTraces(0);
    const agent = await (await call(ws, "/api/agents", { method: "POST", body: { name: "bot" } })).json<{
      id: string;
    }>();
    const versions = `/api/agents/${agent.id}/versions`;
    for (let i = 0; i < 4; i++) {
      await call(ws, versions, { method: "POST", body: { prompt_template: `v${i} for {{who}}` } });
    }
    await Promise.all([1, 2, 3, 4].map((n) => call(ws, `${versions}/${n}/promote`, { method: "POST" })));
    const list = await (await call(ws, versions)).json<{ versions: { id: string; status: string }[] }>();
    const active = list.versions.filter((v) => v.status === "active");
    expect(active).toHaveLength(1);
    const prompt = await call(ws, `/api/agents/${agent.id}/prompt`);
    expect((await prompt.json<{ version_id: string }>()).version_id).toBe(active[0]?.id);
    const etag = prompt.headers.get("ETag") ?? "";
    const cached = await call(ws, `/api/agents/${agent.id}/prompt`, { headers: { "If-None-Match": etag } });
    expect(cached.status).toBe(304);
  });

  it("assigns more traces than D1 binds in one statement", async () => {
    const { ws, ids } = await workspaceWithTraces(150);
    const agent = await (await call(ws, "/api/agents", { method: "POST", body: { name: "bulk" } })).json<{
      id: string;
    }>();
    await call(ws, `/api/agents/${agent.id}/versions`, { method: "POST", body: { prompt_template: "x" } });
    const res = await call(ws, `/api/agents/${agent.id}/versions/1/traces`, {
      method: "POST",
      body: { trace_ids: ids },
    });
    expect(await res.json()).toMatchObject({ assigned_count: 150 });
  });
});
