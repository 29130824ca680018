import { afterEach, describe, expect, it } from "vitest";
import { ConnectionTestSchema } from "../../src/api/integrations.schemas";
import type { FixtureServer } from "../fixtures/servers/http-server";
import { startLangfuseServer } from "../fixtures/servers/langfuse";
import { minimalLangfuseFixture } from "../fixtures/servers/langfuse-data";
import { startLangSmithServer } from "../fixtures/servers/langsmith";
import { generateLangSmithFixture } from "../fixtures/servers/langsmith-data";
import { startOpenAIServer } from "../fixtures/servers/openai";
import { generateOpenAIFixture } from "../fixtures/servers/openai-data";
import { makeTestApp, readJson, type TestApp } from "../helpers/app";

const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function track<S extends FixtureServer>(server: Promise<S>): Promise<S> {
  const started = await server;
  servers.push(started);
  return started;
}

async function createIntegration(t: TestApp, body: Record<string, unknown>): Promise<string> {
  const res = await t.request("/api/integrations", { method: "POST", body });
  expect(res.status).toBe(201);
  return (await readJson(res)).id;
}

async function testConnection(t: TestApp, id: string) {
  const res = await t.request(`/api/integrations/${id}/test`, { method: "POST" });
  expect(res.status).toBe(200);
  return ConnectionTestSchema.parse(await readJson(res));
}

async function stored(t: TestApp, id: string) {
  const body = await readJson(await t.request(`/api/integrations/${id}`));
  return { status: body.status, error_message: body.error_message };
}

describe("POST /api/integrations/:id/test", () => {
  it("Langfuse: lists projects with Basic auth, then records a refused key as status error", async () => {
    const t = await makeTestApp();
    const server = await track(startLangfuseServer({ fixture: minimalLangfuseFixture() }));
    const id = await createIntegration(t, {
      platform: "langfuse",
      name: "lf",
      api_key: server.apiKey,
      base_url: server.url,
    });
    expect(await testConnection(t, id)).toEqual({
      success: true,
      details: { projects: [{ id: "p-1", name: "fixture-project" }] },
    });
    expect(await stored(t, id)).toEqual({ status: "active", error_message: null });
    expect(server.requests[0]?.path).toBe("/api/public/projects");

    await t.request(`/api/integrations/${id}`, {
      method: "PATCH",
      body: { api_key: `${server.publicKey}:sk-lf-wrong` },
    });
    const refused = await testConnection(t, id);
    expect(refused.success).toBe(false);
    expect(refused.error).toContain("Langfuse answered 401 to GET /api/public/projects");
    expect(refused.error).not.toContain("sk-lf-wrong");
    expect(await stored(t, id)).toEqual({ status: "error", error_message: refused.error });

    await t.request(`/api/integrations/${id}`, { method: "PATCH", body: { api_key: server.apiKey } });
    expect((await testConnection(t, id)).success).toBe(true);
    expect(await stored(t, id)).toEqual({ status: "active", error_message: null });
  });

  it("LangSmith: calls with x-api-key and resolves the configured project", async () => {
    const t = await makeTestApp();
    const fixture = generateLangSmithFixture({ traces: 1 });
    const server = await track(startLangSmithServer({ fixture }));
    const base = { platform: "langsmith", api_key: server.apiKey, base_url: server.url };
    const id = await createIntegration(t, { ...base, name: "ls", config: { project_name: "support-bot" } });
    expect(await testConnection(t, id)).toEqual({ success: true, details: { project_id: fixture.projectId } });
    expect(server.requests.every((r) => r.headers["x-api-key"] === server.apiKey)).toBe(true);

    const missing = await createIntegration(t, { ...base, name: "ls2", config: { project_name: "nope" } });
    expect(await testConnection(t, missing)).toEqual({
      success: false,
      error: 'LangSmith has no project named "nope"',
    });
    expect((await stored(t, missing)).status).toBe("error");

    const wrong = await createIntegration(t, { ...base, name: "ls3", api_key: "lsv2_pt_wrong" });
    const refused = await testConnection(t, wrong);
    expect(refused).toEqual({
      success: false,
      error: 'LangSmith answered 401 to GET /api/v1/sessions: {"detail":"Invalid token"}',
    });
    expect(await stored(t, wrong)).toEqual({ status: "error", error_message: refused.error });
  });

  it("OpenAI: lists one stored completion with the Bearer key; a wrong key is recorded without the key", async () => {
    const t = await makeTestApp();
    const server = await track(startOpenAIServer({ fixture: generateOpenAIFixture({ completions: 2 }) }));
    const id = await createIntegration(t, {
      platform: "openai",
      name: "oa",
      api_key: server.apiKey,
      base_url: `${server.url}/v1`,
    });
    expect(await testConnection(t, id)).toEqual({ success: true, details: { has_stored_completions: true } });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${server.apiKey}`);
    expect(server.requests[0]?.query.get("limit")).toBe("1");

    const wrongKey = "sk-proj-definitely-wrong-0000";
    await t.request(`/api/integrations/${id}`, { method: "PATCH", body: { api_key: wrongKey } });
    const refused = await testConnection(t, id);
    expect(refused.success).toBe(false);
    expect(refused.error).toContain("OpenAI answered 401");
    expect(JSON.stringify(await readJson(await t.request(`/api/integrations/${id}`)))).not.toContain(wrongKey);
  });

  it("records rate limiting, server errors and an unreachable host as failed tests", async () => {
    const t = await makeTestApp();
    const server = await track(startOpenAIServer({ fixture: generateOpenAIFixture({ completions: 1 }) }));
    const id = await createIntegration(t, {
      platform: "openai",
      name: "oa",
      api_key: server.apiKey,
      base_url: server.url,
    });
    server.fail({ kind: "status", status: 429, retryAfter: "30", times: 1 });
    expect((await testConnection(t, id)).error).toContain("OpenAI answered 429");
    server.fail({ kind: "status", status: 500, times: 1 });
    expect((await testConnection(t, id)).error).toContain("OpenAI answered 500");
    await server.close();
    const offline = await testConnection(t, id);
    expect(offline.success).toBe(false);
    expect(offline.error).toContain("could not be reached");
    expect((await stored(t, id)).status).toBe("error");
  });
});
