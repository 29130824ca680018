import { describe, expect, it } from "vitest";
import { isPrivateHost } from "../../src/integrations/url-policy";
import { makeTestApp, readJson } from "../helpers/app";
import { createApiKey, createIntegration, createWorkspace } from "../helpers/factories";

describe("isPrivateHost", () => {
  it.each([
    "localhost",
    "api.localhost",
    "metadata.google.internal",
    "127.0.0.1",
    "127.1.2.3",
    "10.0.0.5",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "0.0.0.0",
    "[::1]",
    "::1",
    "[::]",
    "[fd00::1]",
    "[fe80::1]",
    "[::ffff:127.0.0.1]",
    "LOCALHOST.",
  ])("refuses %s", (host) => {
    expect(isPrivateHost(host)).toBe(true);
  });

  it.each(["cloud.langfuse.com", "api.openai.com", "8.8.8.8", "172.32.0.1", "192.169.0.1", "[2001:db8::1]", "1.2.3.4"])(
    "allows %s",
    (host) => {
      expect(isPrivateHost(host)).toBe(false);
    },
  );
});

describe("private source URLs in key mode", () => {
  it("refuses to store an integration that points at the server's own network", async () => {
    const t = await makeTestApp({ env: { AUTH_MODE: "key" } });
    const owner = await createApiKey(t.db, await createWorkspace(t.db), "owner");
    for (const base_url of [
      "http://127.0.0.1:3000",
      "http://169.254.169.254",
      "http://[::1]:8080",
      "http://localhost",
    ]) {
      const res = await t.request("/api/integrations", {
        method: "POST",
        apiKey: owner.key,
        body: { platform: "langfuse", name: `n-${base_url}`, api_key: "pk-lf-a:sk-lf-b", base_url },
      });
      expect(res.status).toBe(400);
      expect((await readJson(res)).error.details[0].path).toBe("base_url");
    }
  });

  it("refuses to call a private address stored before the policy applied", async () => {
    const t = await makeTestApp({ env: { AUTH_MODE: "key" } });
    const ws = await createWorkspace(t.db);
    const owner = await createApiKey(t.db, ws, "owner");
    const integration = await createIntegration(t.db, ws, {
      apiKeyEncrypted: await t.deps.secrets.encrypt("pk-lf-a:sk-lf-b"),
      baseUrl: "http://127.0.0.1:9",
    });
    const res = await t.request(`/api/integrations/${integration.id}/test`, { method: "POST", apiKey: owner.key });
    expect(res.status).toBe(403);
    expect((await readJson(res)).error.code).toBe("FORBIDDEN");
  });

  it("allows private addresses when ALLOW_PRIVATE_SOURCE_URLS=true", async () => {
    const t = await makeTestApp({ env: { AUTH_MODE: "key", ALLOW_PRIVATE_SOURCE_URLS: "true" } });
    const owner = await createApiKey(t.db, await createWorkspace(t.db), "owner");
    const res = await t.request("/api/integrations", {
      method: "POST",
      apiKey: owner.key,
      body: { platform: "langfuse", name: "self-hosted", api_key: "pk-lf-a:sk-lf-b", base_url: "http://10.0.0.7:3000" },
    });
    expect(res.status).toBe(201);
  });
});
