import { describe, expect, it } from "vitest";
import { makeTestApp, readJson } from "../helpers/app";

describe("health", () => {
  it("answers exactly {status: healthy} on /health", async () => {
    const { request } = await makeTestApp();
    const res = await request("/health");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":"healthy"}');
  });

  it("checks the database on /api/health and on its /v1 alias", async () => {
    const { request } = await makeTestApp();
    for (const path of ["/api/health", "/v1/api/health"]) {
      const res = await request(path);
      expect(res.status).toBe(200);
      const body = await readJson(res);
      expect(body.status).toBe("healthy");
      expect(body.checks.database.ok).toBe(true);
      expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it("answers unknown routes with a 404 envelope carrying the request id", async () => {
    const { request } = await makeTestApp();
    const res = await request("/api/nope", { headers: { "X-Request-Id": "req-123" } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: "NOT_FOUND", message: "No route for GET /api/nope", request_id: "req-123" },
    });
  });

  it("serves the OpenAPI document and the docs page", async () => {
    const { request } = await makeTestApp();
    const doc = await readJson(await request("/openapi.json"));
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/health"]).toBeDefined();
    const docs = await request("/docs");
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("/openapi.json");
  });
});
