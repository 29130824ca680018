import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { IntegrationPageSchema, IntegrationSchema } from "../../src/api/integrations.schemas";
import { newId } from "../../src/db/ids";
import { integrations, traces } from "../../src/db/schema";
import { makeTestApp, readJson, type TestApp } from "../helpers/app";
import { createApiKey, createWorkspace } from "../helpers/factories";

const LANGFUSE = { platform: "langfuse", name: "Prod Langfuse", api_key: "pk-lf-123:sk-lf-secret-456" };

async function create(t: TestApp, body: Record<string, unknown>, workspace?: string) {
  return t.request("/api/integrations", { method: "POST", body, ...(workspace ? { workspace } : {}) });
}

async function created(t: TestApp, body: Record<string, unknown>, workspace?: string) {
  const res = await create(t, body, workspace);
  expect(res.status).toBe(201);
  return IntegrationSchema.parse(await readJson(res));
}

describe("POST /api/integrations", () => {
  it("creates an integration with its platform's default base URL and a masked key", async () => {
    const t = await makeTestApp();
    const body = await created(t, LANGFUSE);
    expect(body).toEqual({
      id: expect.stringMatching(/^int_/),
      platform: "langfuse",
      name: "Prod Langfuse",
      base_url: "https://cloud.langfuse.com",
      api_key: "********",
      config: {},
      status: "active",
      error_message: null,
      last_synced_at: null,
      created_at: "2026-01-01T00:00:00.000Z",
      updated_at: "2026-01-01T00:00:00.000Z",
    });
    const smith = await created(t, { platform: "langsmith", name: "s", api_key: "lsv2_pt_x" });
    const openai = await created(t, { platform: "openai", name: "o", api_key: "sk-proj-x" });
    expect([smith.base_url, openai.base_url]).toEqual(["https://api.smith.langchain.com", "https://api.openai.com"]);
  });

  it("stores AES-GCM ciphertext, never the key, and never returns either", async () => {
    const t = await makeTestApp();
    const { id } = await created(t, LANGFUSE);
    const [row] = await t.db.select().from(integrations).where(eq(integrations.id, id));
    expect(row?.apiKeyEncrypted).toMatch(/^v1\./);
    expect(row?.apiKeyEncrypted).not.toContain("sk-lf-secret-456");
    expect(await t.deps.secrets.decrypt(row?.apiKeyEncrypted ?? "")).toBe(LANGFUSE.api_key);
    for (const path of ["/api/integrations", `/api/integrations/${id}`]) {
      const text = await (await t.request(path)).text();
      expect(text).not.toContain("sk-lf-secret-456");
      expect(text).not.toContain(row?.apiKeyEncrypted);
    }
  });

  it("keeps a self-hosted base URL with its path, without trailing slashes", async () => {
    const t = await makeTestApp();
    const body = await created(t, { ...LANGFUSE, base_url: "https://lf.internal:8443/langfuse/" });
    expect(body.base_url).toBe("https://lf.internal:8443/langfuse");
  });

  it.each([
    ["a Langfuse key without a secret", { ...LANGFUSE, api_key: "pk-lf-only" }, "api_key"],
    ["a Langfuse key with an empty half", { ...LANGFUSE, api_key: "pk-lf-1:" }, "api_key"],
    ["a key with inner spaces", { platform: "openai", name: "o", api_key: "sk a" }, "api_key"],
    ["an empty key", { ...LANGFUSE, api_key: "  " }, "api_key"],
    ["a non-http base URL", { ...LANGFUSE, base_url: "ftp://example.com" }, "base_url"],
    ["a javascript: base URL", { ...LANGFUSE, base_url: "javascript:alert(1)" }, "base_url"],
    ["a base URL with credentials", { ...LANGFUSE, base_url: "https://u:p@example.com" }, "base_url"],
    ["a base URL with a query", { ...LANGFUSE, base_url: "https://example.com/?x=1" }, "base_url"],
    ["an unknown platform", { ...LANGFUSE, platform: "phoenix" }, "platform"],
    ["an empty name", { ...LANGFUSE, name: "" }, "name"],
    ["a long name", { ...LANGFUSE, name: "n".repeat(101) }, "name"],
    ["a config of the wrong type", { ...LANGFUSE, config: { import_scores: "yes" } }, "config.import_scores"],
    [
      "too many config keys",
      { ...LANGFUSE, config: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) },
      "config",
    ],
    [
      "a LangSmith project id that is not text",
      { platform: "langsmith", name: "s", api_key: "k", config: { project_id: 5 } },
      "config.project_id",
    ],
  ])("refuses %s with 400", async (_name, body, path) => {
    const t = await makeTestApp();
    const res = await create(t, body);
    expect(res.status).toBe(400);
    const error = (await readJson(res)).error;
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it("refuses a second integration with the same name in a workspace (409), not in another", async () => {
    const t = await makeTestApp();
    await created(t, LANGFUSE);
    const again = await create(t, { ...LANGFUSE, platform: "openai", api_key: "sk-x" });
    expect(again.status).toBe(409);
    expect((await readJson(again)).error.code).toBe("ALREADY_EXISTS");
    expect((await create(t, LANGFUSE, "ws_other")).status).toBe(201);
  });
});

describe("GET /api/integrations", () => {
  it("lists only the workspace's integrations, oldest first, with cursor pages", async () => {
    const t = await makeTestApp();
    for (const name of ["a", "b", "c"]) {
      await created(t, { ...LANGFUSE, name });
      t.clock.advance(1000);
    }
    await created(t, { ...LANGFUSE, name: "theirs" }, "ws_other");
    const first = IntegrationPageSchema.parse(await readJson(await t.request("/api/integrations?limit=2")));
    expect(first.integrations.map((i) => i.name)).toEqual(["a", "b"]);
    expect(first.has_more).toBe(true);
    const next = await readJson(await t.request(`/api/integrations?limit=2&cursor=${first.next_cursor}`));
    expect(next).toMatchObject({ has_more: false, next_cursor: null });
    expect(next.integrations.map((i: { name: string }) => i.name)).toEqual(["c"]);
    expect((await t.request("/api/integrations?cursor=garbage")).status).toBe(400);
  });
});

describe("GET, PATCH and DELETE /api/integrations/:id", () => {
  it("answers 404 for another workspace's integration and for an unknown id", async () => {
    const t = await makeTestApp();
    const theirs = await created(t, LANGFUSE, "ws_other");
    for (const [method, body] of [["GET"], ["PATCH", { name: "x" }], ["DELETE"], ["POST"]] as const) {
      const path = method === "POST" ? `/api/integrations/${theirs.id}/test` : `/api/integrations/${theirs.id}`;
      const res = await t.request(path, { method, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect((await readJson(res)).error.code).toBe("NOT_FOUND");
    }
    expect((await t.request("/api/integrations/int_unknown")).status).toBe(404);
    expect((await t.request("/api/integrations/not-an-id")).status).toBe(400);
    expect(
      IntegrationSchema.parse(
        await readJson(await t.request(`/api/integrations/${theirs.id}`, { workspace: "ws_other" })),
      ).name,
    ).toBe("Prod Langfuse");
  });

  it("updates name, base URL, config and key; new credentials clear the last error", async () => {
    const t = await makeTestApp();
    const { id } = await created(t, {
      platform: "langsmith",
      name: "s",
      api_key: "lsv2_old",
      base_url: "http://old.example",
    });
    await t.db.update(integrations).set({ status: "error", errorMessage: "401" }).where(eq(integrations.id, id));
    t.clock.advance(5000);
    const renamed = await t.request(`/api/integrations/${id}`, {
      method: "PATCH",
      body: { name: "renamed", config: { project_name: "bot" } },
    });
    expect(IntegrationSchema.parse(await readJson(renamed))).toMatchObject({
      name: "renamed",
      config: { project_name: "bot" },
      status: "error",
      updated_at: "2026-01-01T00:00:05.000Z",
    });
    const rekeyed = await readJson(
      await t.request(`/api/integrations/${id}`, { method: "PATCH", body: { api_key: "lsv2_new", base_url: null } }),
    );
    expect(rekeyed).toMatchObject({
      status: "active",
      error_message: null,
      base_url: "https://api.smith.langchain.com",
      api_key: "********",
    });
    const [row] = await t.db.select().from(integrations).where(eq(integrations.id, id));
    expect(await t.deps.secrets.decrypt(row?.apiKeyEncrypted ?? "")).toBe("lsv2_new");
    const cleared = await readJson(
      await t.request(`/api/integrations/${id}`, { method: "PATCH", body: { config: null } }),
    );
    expect(cleared.config).toEqual({});
    expect(await readJson(await t.request(`/api/integrations/${id}`))).toEqual(cleared);
  });

  it("validates updates against the integration's platform and its workspace's names", async () => {
    const t = await makeTestApp();
    const { id } = await created(t, LANGFUSE);
    await created(t, { ...LANGFUSE, name: "taken" });
    const badKey = await t.request(`/api/integrations/${id}`, { method: "PATCH", body: { api_key: "no-colon" } });
    expect((await readJson(badKey)).error).toMatchObject({ code: "VALIDATION_ERROR", details: [{ path: "api_key" }] });
    const badUrl = await t.request(`/api/integrations/${id}`, {
      method: "PATCH",
      body: { base_url: "file:///etc/passwd" },
    });
    expect(badUrl.status).toBe(400);
    const taken = await t.request(`/api/integrations/${id}`, { method: "PATCH", body: { name: "taken" } });
    expect(taken.status).toBe(409);
    const same = await t.request(`/api/integrations/${id}`, { method: "PATCH", body: { name: "Prod Langfuse" } });
    expect(same.status).toBe(200);
    expect(
      (
        await t.request(`/api/integrations/${id}`, {
          method: "PATCH",
          rawBody: "{",
          headers: { "Content-Type": "application/json" },
        })
      ).status,
    ).toBe(400);
  });

  it("deletes with 204 and leaves the imported traces in place, detached", async () => {
    const t = await makeTestApp();
    const { id } = await created(t, LANGFUSE);
    const traceId = newId("trace");
    await t.db.insert(traces).values({
      id: traceId,
      workspaceId: "workspace_default",
      integrationId: id,
      source: "langfuse",
      externalId: "t-1",
    });
    const res = await t.request(`/api/integrations/${id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect((await t.request(`/api/integrations/${id}`)).status).toBe(404);
    const [trace] = await t.db.select().from(traces).where(eq(traces.id, traceId));
    expect(trace?.integrationId).toBeNull();
  });
});

describe("roles", () => {
  it("lets members read and test, and only admins and owners write", async () => {
    const t = await makeTestApp({ env: { AUTH_MODE: "key" } });
    const ws = await createWorkspace(t.db);
    const [member, admin] = [await createApiKey(t.db, ws, "member"), await createApiKey(t.db, ws, "admin")];
    const made = await t.request("/api/integrations", { method: "POST", body: LANGFUSE, apiKey: admin.key });
    expect(made.status).toBe(201);
    const { id } = await readJson(made);
    const refused = [
      await t.request("/api/integrations", { method: "POST", body: { ...LANGFUSE, name: "m" }, apiKey: member.key }),
      await t.request(`/api/integrations/${id}`, { method: "PATCH", body: { name: "m" }, apiKey: member.key }),
      await t.request(`/api/integrations/${id}`, { method: "DELETE", apiKey: member.key }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403]);
    expect((await t.request(`/api/integrations/${id}`, { apiKey: member.key })).status).toBe(200);
    expect((await t.request("/api/integrations", { apiKey: member.key })).status).toBe(200);
  });
});
