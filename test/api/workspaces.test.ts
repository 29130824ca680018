import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CreatedWorkspaceSchema, MemberPage, MemberSchema, WorkspaceSchema } from "../../src/api/workspaces.schemas";
import { hashApiKey } from "../../src/auth/api-key-hash";
import { apiKeys, users } from "../../src/db/schema";
import { makeTestApp, readJson } from "../helpers/app";
import { createApiKey, createMember, createUser, createWorkspace } from "../helpers/factories";

async function keyModeApp() {
  const t = await makeTestApp({ env: { AUTH_MODE: "key" } });
  const ws = await createWorkspace(t.db, { name: "Acme" });
  const owner = await createApiKey(t.db, ws, "owner");
  return { ...t, ws, owner };
}

describe("POST /api/workspaces", () => {
  it("creates a workspace without a key in local mode, reachable through X-Workspace-Id", async () => {
    const { request } = await makeTestApp();
    const res = await request("/api/workspaces", { method: "POST", body: { name: "  Acme  " } });
    expect(res.status).toBe(201);
    const body = CreatedWorkspaceSchema.parse(await readJson(res));
    expect(body.api_key).toBeUndefined();
    expect(body.workspace).toMatchObject({ name: "Acme", created_at: "2026-01-01T00:00:00.000Z" });
    const current = await request("/api/workspaces/current", { workspace: body.workspace.id });
    expect(WorkspaceSchema.parse(await readJson(current))).toEqual(body.workspace);
  });

  it("makes a key-mode caller owner of the new workspace through an owner key shown once", async () => {
    const { request, db, ws } = await keyModeApp();
    const member = await createApiKey(db, ws, "member");
    const res = await request("/api/workspaces", { method: "POST", apiKey: member.key, body: { name: "Side" } });
    expect(res.status).toBe(201);
    const body = CreatedWorkspaceSchema.parse(await readJson(res));
    expect(body.api_key).toMatchObject({ role: "owner", revoked_at: null });
    const key = body.api_key?.key ?? "";
    const current = await readJson(await request("/api/workspaces/current", { apiKey: key }));
    expect(current.id).toBe(body.workspace.id);
    const [stored] = await db.select().from(apiKeys).where(eq(apiKeys.workspaceId, body.workspace.id));
    expect(stored?.keyHash).toBe(await hashApiKey(key));
    expect(JSON.stringify(stored)).not.toContain(key);
  });

  it("rejects an empty or oversized name with 400", async () => {
    const { request } = await makeTestApp();
    for (const name of ["", "   ", "x".repeat(201)]) {
      const res = await request("/api/workspaces", { method: "POST", body: { name } });
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
    }
  });
});

describe("current workspace", () => {
  it("answers the key's workspace in key mode and the default workspace in local mode", async () => {
    const keyed = await keyModeApp();
    const res = await keyed.request("/api/workspaces/current", { apiKey: keyed.owner.key });
    expect(WorkspaceSchema.parse(await readJson(res))).toMatchObject({ id: keyed.ws.id, name: "Acme" });
    const local = await makeTestApp();
    const body = await readJson(await local.request("/api/workspaces/current"));
    expect(body).toMatchObject({ id: "workspace_default", name: "Default workspace" });
  });

  it("lets an admin rename it, stamping updated_at from the clock", async () => {
    const { request, db, ws, clock } = await keyModeApp();
    const admin = await createApiKey(db, ws, "admin");
    clock.advance(5_000);
    const res = await request("/api/workspaces/current", {
      method: "PATCH",
      apiKey: admin.key,
      body: { name: "Acme 2" },
    });
    expect(res.status).toBe(200);
    const body = WorkspaceSchema.parse(await readJson(res));
    expect(body).toMatchObject({ id: ws.id, name: "Acme 2", updated_at: "2026-01-01T00:00:05.000Z" });
  });

  it("refuses a key whose workspace differs from X-Workspace-Id with 403", async () => {
    const { request, owner } = await keyModeApp();
    const res = await request("/api/workspaces/current", { apiKey: owner.key, workspace: "workspace_other" });
    expect(res.status).toBe(403);
    expect((await readJson(res)).error.code).toBe("FORBIDDEN");
  });
});

describe("auth modes", () => {
  it("checks credentials before headers in key mode: no key and a malformed header is still 401", async () => {
    const { request } = await keyModeApp();
    const res = await request("/api/workspaces/current", { workspace: "bad header!" });
    expect(res.status).toBe(401);
    expect((await readJson(res)).error.code).toBe("UNAUTHORIZED");
  });

  it("rejects a malformed X-Workspace-Id in local mode with 400", async () => {
    const { request } = await makeTestApp();
    const res = await request("/api/workspaces/current", { workspace: "no/slashes" });
    expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
  });

  it("scopes local mode by X-Workspace-Id: another workspace's member is a 404", async () => {
    const { request, db } = await makeTestApp();
    await request("/api/workspaces/current", { workspace: "ws_theirs" });
    const theirs = await createMember(db, { id: "ws_theirs" }, "member");
    const res = await request(`/api/workspaces/current/members/${theirs.id}`, {
      method: "DELETE",
      workspace: "ws_mine",
    });
    expect(res.status).toBe(404);
    expect((await readJson(res)).error.code).toBe("NOT_FOUND");
  });
});

describe("members", () => {
  it("adds a member, creating the user once and reusing it in another workspace", async () => {
    const { request, db } = await makeTestApp();
    const add = (workspace: string) =>
      request("/api/workspaces/current/members", {
        method: "POST",
        workspace,
        body: { email: "Ada@Example.com", name: "Ada", role: "admin" },
      });
    const first = MemberSchema.parse(await readJson(await add("ws_one")));
    expect(first).toMatchObject({ email: "ada@example.com", name: "Ada", role: "admin" });
    const res = await add("ws_two");
    expect(res.status).toBe(201);
    expect((await readJson(res)).user_id).toBe(first.user_id);
    expect(await db.select().from(users)).toHaveLength(1);
  });

  it("answers 409 ALREADY_EXISTS when the user is already a member", async () => {
    const { request } = await makeTestApp();
    const body = { email: "ada@example.com", role: "member" };
    await request("/api/workspaces/current/members", { method: "POST", body });
    const res = await request("/api/workspaces/current/members", { method: "POST", body });
    expect(res.status).toBe(409);
    expect((await readJson(res)).error.code).toBe("ALREADY_EXISTS");
  });

  it("rejects a malformed e-mail, an unknown role and a malformed id with 400", async () => {
    const { request } = await makeTestApp();
    const path = "/api/workspaces/current/members";
    const bad = [
      await request(path, { method: "POST", body: { email: "not-an-email" } }),
      await request(path, { method: "POST", body: { email: "a@b.co", role: "god" } }),
      await request(`${path}/..%2Fetc`, { method: "PATCH", body: { role: "admin" } }),
    ];
    for (const res of bad) {
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
    }
  });

  it("changes a role and removes a member", async () => {
    const { request, db } = await makeTestApp();
    const ws = { id: "workspace_default" };
    await request("/api/workspaces/current");
    const member = await createMember(db, ws, "member");
    const path = `/api/workspaces/current/members/${member.id}`;
    const res = await request(path, { method: "PATCH", body: { role: "admin" } });
    expect(MemberSchema.parse(await readJson(res))).toMatchObject({ id: member.id, role: "admin" });
    expect((await request(path, { method: "DELETE" })).status).toBe(204);
    const page = MemberPage.parse(await readJson(await request("/api/workspaces/current/members")));
    expect(page.members).toEqual([]);
    expect((await request(path, { method: "DELETE" })).status).toBe(404);
  });

  it("pages through members with an opaque cursor", async () => {
    const { request, db, clock } = await makeTestApp();
    await request("/api/workspaces/current");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      const res = await request("/api/workspaces/current/members", {
        method: "POST",
        body: { email: `user${i}@example.com` },
      });
      ids.push((await readJson(res)).id);
    }
    expect(await db.select().from(users)).toHaveLength(3);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = MemberPage.parse(await readJson(await request(`/api/workspaces/current/members?limit=2${query}`)));
      seen.push(...page.members.map((m) => m.id));
      cursor = page.next_cursor;
      expect(page.has_more).toBe(cursor !== null);
    } while (cursor);
    expect(seen).toEqual(ids);
    const bad = await request("/api/workspaces/current/members?cursor=abc");
    expect((await readJson(bad)).error.code).toBe("VALIDATION_ERROR");
  });
});

describe("the last owner", () => {
  it("cannot be demoted or removed, while one of two owners can", async () => {
    const { request, db } = await makeTestApp();
    await request("/api/workspaces/current");
    const ws = { id: "workspace_default" };
    const [a, b] = [await createMember(db, ws, "owner"), await createMember(db, ws, "owner")];
    const path = (id: string) => `/api/workspaces/current/members/${id}`;
    expect((await request(path(a.id), { method: "DELETE" })).status).toBe(204);
    for (const res of [
      await request(path(b.id), { method: "PATCH", body: { role: "admin" } }),
      await request(path(b.id), { method: "DELETE" }),
    ]) {
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.code).toBe("INVALID_STATE");
    }
    const stillOwner = await request(path(b.id), { method: "PATCH", body: { role: "owner" } });
    expect((await readJson(stillOwner)).role).toBe("owner");
  });

  it("counts owners of the member's own workspace only", async () => {
    const { request, db } = await makeTestApp();
    await request("/api/workspaces/current");
    const other = await createWorkspace(db);
    const user = await createUser(db);
    await createMember(db, other, "owner", { userId: user.id });
    const mine = await createMember(db, { id: "workspace_default" }, "owner", { userId: user.id });
    const res = await request(`/api/workspaces/current/members/${mine.id}`, { method: "DELETE" });
    expect((await readJson(res)).error.code).toBe("INVALID_STATE");
  });
});
