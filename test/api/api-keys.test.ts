import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ApiKeyPage, ApiKeySchema, CreatedApiKeySchema } from "../../src/api/api-keys.schemas";
import { hashApiKey } from "../../src/auth/api-key-hash";
import { newId } from "../../src/db/ids";
import { apiKeys } from "../../src/db/schema";
import { makeTestApp, readJson } from "../helpers/app";
import { createApiKey, createWorkspace } from "../helpers/factories";

async function keyModeApp() {
  const t = await makeTestApp({ env: { AUTH_MODE: "key" } });
  const ws = await createWorkspace(t.db);
  const owner = await createApiKey(t.db, ws, "owner");
  return { ...t, ws, owner };
}

const LISTED_FIELDS = ["created_at", "id", "key_prefix", "last_used_at", "name", "revoked_at", "role"];

describe("POST /api/api-keys", () => {
  it("shows the key once and stores only its SHA-256 hash", async () => {
    const { request, db, owner } = await keyModeApp();
    const res = await request("/api/api-keys", { method: "POST", apiKey: owner.key, body: { name: "CI" } });
    expect(res.status).toBe(201);
    const created = CreatedApiKeySchema.parse(await readJson(res));
    expect(created).toMatchObject({ name: "CI", role: "member", revoked_at: null, last_used_at: null });
    expect(created.key).toMatch(/^iof_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.key_prefix)).toBe(true);

    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row?.keyHash).toBe(await hashApiKey(created.key));
    expect(Object.values(row ?? {}).some((v) => typeof v === "string" && v.includes(created.key))).toBe(false);

    const listText = await (await request("/api/api-keys", { apiKey: owner.key })).text();
    expect(listText).not.toContain(created.key);
    expect(listText).not.toContain(row?.keyHash);
    for (const item of JSON.parse(listText).api_keys) {
      expect(Object.keys(item).sort()).toEqual(LISTED_FIELDS);
      ApiKeySchema.parse(item);
    }
  });

  it("mints a key that authenticates with its role in its workspace", async () => {
    const { request, owner, ws } = await keyModeApp();
    const res = await request("/api/api-keys", {
      method: "POST",
      apiKey: owner.key,
      body: { name: "A", role: "admin" },
    });
    const { key } = CreatedApiKeySchema.parse(await readJson(res));
    const current = await readJson(await request("/api/workspaces/current", { apiKey: key }));
    expect(current.id).toBe(ws.id);
    const minted = await request("/api/api-keys", { method: "POST", apiKey: key, body: { name: "B", role: "admin" } });
    expect(minted.status).toBe(201);
  });

  it("rejects a missing or oversized name and an unknown role with 400", async () => {
    const { request, owner } = await keyModeApp();
    for (const body of [{}, { name: "x".repeat(101) }, { name: "k", role: "root" }]) {
      const res = await request("/api/api-keys", { method: "POST", apiKey: owner.key, body });
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
    }
  });
});

describe("GET /api/api-keys", () => {
  it("lists only the workspace's keys, newest first, in pages, with last_used_at kept by the auth layer", async () => {
    const { request, db, clock } = await makeTestApp({ env: { AUTH_MODE: "key" } });
    const ws = await createWorkspace(db);
    // Factory ids default to the real time; this one must sort by the fake clock like the API's.
    const owner = await createApiKey(db, ws, "owner", { id: newId("apiKey", clock.now().getTime()) });
    const stranger = await createApiKey(db, await createWorkspace(db), "owner");
    const created: string[] = [];
    for (const name of ["one", "two"]) {
      clock.advance(1000);
      const res = await request("/api/api-keys", { method: "POST", apiKey: owner.key, body: { name } });
      created.push((await readJson(res)).id);
    }
    const first = ApiKeyPage.parse(await readJson(await request("/api/api-keys?limit=2", { apiKey: owner.key })));
    expect(first.api_keys.map((k) => k.id)).toEqual([created[1], created[0]]);
    expect(first.has_more).toBe(true);
    const next = await request(`/api/api-keys?limit=2&cursor=${first.next_cursor}`, { apiKey: owner.key });
    const second = ApiKeyPage.parse(await readJson(next));
    expect(second).toMatchObject({ has_more: false, next_cursor: null });
    expect(second.api_keys).toEqual([
      // First use at 00:00:01; later uses within a minute do not write again.
      expect.objectContaining({ id: owner.id, last_used_at: "2026-01-01T00:00:01.000Z" }),
    ]);
    expect([...first.api_keys, ...second.api_keys].map((k) => k.id)).not.toContain(stranger.id);
  });
});

describe("DELETE /api/api-keys/:id", () => {
  it("revokes a key: 204, then the key gets 401 and the list shows revoked_at", async () => {
    const { request, db, ws, owner, clock } = await keyModeApp();
    const victim = await createApiKey(db, ws, "member");
    expect((await request("/api/workspaces/current", { apiKey: victim.key })).status).toBe(200);
    clock.advance(60_000);
    const res = await request(`/api/api-keys/${victim.id}`, { method: "DELETE", apiKey: owner.key });
    expect(res.status).toBe(204);
    const refused = await request("/api/workspaces/current", { apiKey: victim.key });
    expect(refused.status).toBe(401);
    expect((await readJson(refused)).error.code).toBe("UNAUTHORIZED");
    const list = ApiKeyPage.parse(await readJson(await request("/api/api-keys", { apiKey: owner.key })));
    expect(list.api_keys.find((k) => k.id === victim.id)?.revoked_at).toBe("2026-01-01T00:01:00.000Z");
  });

  it("is idempotent: revoking twice keeps the first revoked_at", async () => {
    const { request, db, ws, owner, clock } = await keyModeApp();
    const victim = await createApiKey(db, ws, "member");
    await request(`/api/api-keys/${victim.id}`, { method: "DELETE", apiKey: owner.key });
    clock.advance(5000);
    expect((await request(`/api/api-keys/${victim.id}`, { method: "DELETE", apiKey: owner.key })).status).toBe(204);
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, victim.id));
    expect(row?.revokedAt).toBe("2026-01-01T00:00:00.000Z");
  });

  it("lets a key revoke itself, after which it is refused", async () => {
    const { request, owner } = await keyModeApp();
    expect((await request(`/api/api-keys/${owner.id}`, { method: "DELETE", apiKey: owner.key })).status).toBe(204);
    expect((await request("/api/api-keys", { apiKey: owner.key })).status).toBe(401);
  });
});
