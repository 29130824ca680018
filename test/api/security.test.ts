import { describe, expect, it } from "vitest";
import { generateApiKey } from "../../src/auth/api-key-hash";
import type { Database } from "../../src/db/client";
import type { Workspace } from "../../src/db/schema";
import { agentParamFactories, agentRouteCases } from "../helpers/agent-route-cases";
import { makeTestApp, type RequestOptions, readJson } from "../helpers/app";
import { createApiKey, createIntegration, createJob, createMember, createWorkspace } from "../helpers/factories";

// Generated over EVERY route in the app's OpenAPI document (like unkey's runCommonRouteTests), so a
// new route is covered the moment it is registered:
//   (a) key mode refuses a missing, a wrong and a revoked key with 401 (except the public health routes);
//   (b) a route with path parameters, called by workspace A with ids of real objects of workspace B,
//       answers 404 NOT_FOUND, while B itself can reach the same objects (so the ids were real).
// Adding a route with a new path parameter? Add a factory below; the test fails until you do.

/** Creates a real object in `ws` and returns its id. */
type ParamFactory = (db: Database, ws: Workspace) => Promise<string>;

/**
 * Keyed by `<collection segment>.<param>` (the path segment before `{param}`, e.g. `jobs.id` for
 * `/api/jobs/{id}`), or by the bare param name when it is unambiguous (e.g. `traceId`).
 */
const paramFactories: Record<string, ParamFactory> = {
  "members.id": async (db, ws) => (await createMember(db, ws, "member")).id,
  "api-keys.id": async (db, ws) => (await createApiKey(db, ws, "member")).id,
  "jobs.id": async (db, ws) => (await createJob(db, ws, { status: "failed" })).id,
  // A real ciphertext and a closed local port: the connection test decrypts, then fails fast offline.
  "integrations.id": async (db, ws) =>
    (
      await createIntegration(db, ws, {
        apiKeyEncrypted: await t.deps.secrets.encrypt("pk-lf-a:sk-lf-b"),
        baseUrl: "http://127.0.0.1:9",
      })
    ).id,
  ...agentParamFactories,
};

interface RouteCase {
  /** All path params at once, for nested ids that must belong together (e.g. an eval and its alert). */
  params?: (db: Database, ws: Workspace) => Promise<Record<string, string>>;
  /** A minimal valid body; routes with a request body get `{}` otherwise. */
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  /** Required query parameters, as a query string without `?`. */
  query?: string;
}

/** Per-route overrides, keyed `METHOD /path/{param}` as in the OpenAPI document. */
const routeCases: Record<string, RouteCase> = {
  "PATCH /api/workspaces/current/members/{id}": { body: { role: "admin" } },
  "PATCH /api/workspaces/current": { body: { name: "Renamed" } },
  "POST /api/workspaces": { body: { name: "New" } },
  "POST /api/workspaces/current/members": { body: { email: "someone@example.com" } },
  "POST /api/api-keys": { body: { name: "k" } },
  ...agentRouteCases,
};

const PUBLIC_ROUTES = new Set(["GET /health", "GET /api/health"]);

interface Route {
  key: string;
  method: string;
  path: string;
  pathParams: string[];
  hasBody: boolean;
}

interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: unknown;
}

const t = await makeTestApp({ env: { AUTH_MODE: "key" } });
const doc = (await readJson(await t.request("/openapi.json"))) as { paths: Record<string, Record<string, unknown>> };
const METHODS = new Set(["get", "post", "put", "patch", "delete"]);
const routes: Route[] = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.has(method))
    .map(([method, op]) => {
      const operation = op as OpenApiOperation;
      const pathParams = (operation.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
      const key = `${method.toUpperCase()} ${path}`;
      return { key, method: method.toUpperCase(), path, pathParams, hasBody: operation.requestBody !== undefined };
    }),
);

const [wsA, wsB] = [await createWorkspace(t.db, { name: "A" }), await createWorkspace(t.db, { name: "B" })];
const [ownerA, ownerB] = [await createApiKey(t.db, wsA, "owner"), await createApiKey(t.db, wsB, "owner")];
const revokedA = await createApiKey(t.db, wsA, "owner", { revokedAt: "2025-12-31T00:00:00.000Z" });

function fillPath(route: Route, params: Record<string, string>): string {
  const filled = route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));
  const query = routeCases[route.key]?.query;
  return query ? `${filled}?${query}` : filled;
}

function requestOptions(route: Route, apiKey: string | undefined): RequestOptions {
  const c = routeCases[route.key];
  const options: RequestOptions = { method: route.method, headers: { ...c?.headers } };
  if (apiKey !== undefined) {
    options.headers = { ...options.headers, Authorization: `Bearer ${apiKey}` };
  }
  if (c?.rawBody !== undefined) {
    options.rawBody = c.rawBody;
  } else if (route.hasBody) {
    options.body = c?.body ?? {};
  }
  return options;
}

/** Each param's id from a factory; a missing factory fails with instructions for the next developer. */
async function resolveParams(route: Route, ws: Workspace): Promise<Record<string, string>> {
  const override = routeCases[route.key]?.params;
  if (override) {
    return override(t.db, ws);
  }
  const segments = route.path.split("/");
  const params: Record<string, string> = {};
  for (const name of route.pathParams) {
    const collection = segments[segments.indexOf(`{${name}}`) - 1];
    const qualified = `${collection}.${name}`;
    const factory = paramFactories[qualified] ?? paramFactories[name];
    if (!factory) {
      throw new Error(
        `No factory for path parameter {${name}} of ${route.key}. Add paramFactories["${qualified}"] ` +
          `(or paramFactories["${name}"] if that name means one thing everywhere), or a params override in ` +
          `routeCases["${route.key}"], in test/api/security.test.ts: create a real object in the given ` +
          "workspace and return its id, so this route is checked for cross-workspace access.",
      );
    }
    params[name] = await factory(t.db, ws);
  }
  return params;
}

/** Reads the status and error code, and cancels any body (an SSE stream must not keep running). */
async function call(path: string, options: RequestOptions): Promise<{ status: number; code: string | undefined }> {
  const res = await t.request(path, options);
  const isJson = res.headers.get("content-type")?.includes("application/json") ?? false;
  const code = isJson ? (await readJson(res))?.error?.code : undefined;
  if (!res.bodyUsed) {
    await res.body?.cancel();
  }
  return { status: res.status, code };
}

describe("the OpenAPI document", () => {
  it("lists the routes this suite covers", () => {
    const keys = routes.map((r) => r.key);
    expect(keys).toEqual(expect.arrayContaining(["GET /api/workspaces/current", "DELETE /api/api-keys/{id}"]));
    expect(keys.length).toBeGreaterThanOrEqual(12);
  });

  it("documents every /api route the app serves, so none escapes these checks", () => {
    const documented = new Set(routes.map((r) => `${r.method} ${r.path.replace(/\{(\w+)\}/g, ":$1")}`));
    const served = t.app.routes
      .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/"))
      .map((r) => `${r.method} ${r.path}`);
    expect(served).toContain("DELETE /api/api-keys/:id");
    expect(served.filter((key) => !documented.has(key))).toEqual([]);
  });
});

describe("public routes", () => {
  it.each([...PUBLIC_ROUTES].map((key) => key.split(" ")[1] ?? ""))(
    "%s answers without a key, also under /v1",
    async (path) => {
      for (const url of [path, `/v1${path}`]) {
        expect((await t.request(url)).status).toBe(200);
      }
    },
  );
});

const protectedRoutes = routes.filter((r) => !PUBLIC_ROUTES.has(r.key));
const placeholders = (route: Route) => Object.fromEntries(route.pathParams.map((p) => [p, "x_placeholder"]));

describe.each(protectedRoutes.map((r) => [r.key, r] as const))("key mode: %s", (_key, route) => {
  const keys: [string, string | undefined][] = [
    ["a missing key", undefined],
    ["a wrong key", generateApiKey().key],
    ["a malformed Authorization header", "not a bearer token at all"],
    ["a revoked key", revokedA.key],
  ];
  it.each(keys)("refuses %s with 401 UNAUTHORIZED", async (_name, apiKey) => {
    const result = await call(fillPath(route, placeholders(route)), requestOptions(route, apiKey));
    expect(result).toEqual({ status: 401, code: "UNAUTHORIZED" });
  });

  it("refuses a missing key on the /v1 alias too", async () => {
    // Routes already under /v1 (OTLP's POST /v1/traces) have no alias: check the route itself.
    const path = fillPath(route, placeholders(route));
    const result = await call(route.path.startsWith("/v1/") ? path : `/v1${path}`, requestOptions(route, undefined));
    expect(result).toEqual({ status: 401, code: "UNAUTHORIZED" });
  });
});

const routesWithParams = routes.filter((r) => r.pathParams.length > 0);

describe.each(routesWithParams.map((r) => [r.key, r] as const))("isolation: %s", (_key, route) => {
  it("answers 404 NOT_FOUND to workspace A for workspace B's objects, which B can reach", async () => {
    const path = fillPath(route, await resolveParams(route, wsB));
    const asA = await call(path, requestOptions(route, ownerA.key));
    const hint = asA.code === "VALIDATION_ERROR" ? ` (add a minimal valid body to routeCases["${route.key}"])` : "";
    expect(asA, `workspace A reached B's object through ${route.key}${hint}`).toEqual({
      status: 404,
      code: "NOT_FOUND",
    });
    const asB = await call(path, requestOptions(route, ownerB.key));
    expect(
      ["NOT_FOUND", "VALIDATION_ERROR", "UNAUTHORIZED", "FORBIDDEN"],
      `workspace B should reach its own object through ${route.key} (got ${asB.status} ${asB.code}): ` +
        "check the factory and the routeCases body for this route",
    ).not.toContain(asB.code);
  });
});
