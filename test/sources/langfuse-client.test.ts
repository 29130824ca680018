import { afterEach, describe, expect, it } from "vitest";
import { AppError, ExternalServiceError } from "../../src/errors";
import { LANGFUSE_V2_FIELDS, LangfuseClient, type LangfusePage } from "../../src/sources";
import { type LangfuseServer, startLangfuseServer } from "../fixtures/servers/langfuse";
import {
  generateLangfuseFixture,
  type LangfuseFixture,
  minimalLangfuseFixture,
} from "../fixtures/servers/langfuse-data";
import { allPages, collect } from "./collect";

const WINDOW = { fromStartTime: "2026-05-01T00:00:00.000Z", toStartTime: "2026-06-01T00:00:00.000Z" };

const servers: LangfuseServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fixture: LangfuseFixture, options: { v2?: boolean; maxPages?: number } = {}) {
  const server = await startLangfuseServer({ fixture, v2: options.v2 ?? true });
  servers.push(server);
  const client = new LangfuseClient(
    { publicKey: server.publicKey, secretKey: server.secretKey },
    { baseUrl: server.url, ...(options.maxPages ? { maxPages: options.maxPages } : {}) },
  );
  return { server, client };
}

const observationsOf = (pages: LangfusePage[]) => pages.flatMap((p) => (p.api === "v2" ? p.observations : []));
const tracesOf = (pages: LangfusePage[]) => pages.flatMap((p) => (p.api === "legacy" ? p.traces : []));

describe("LangfuseClient.testConnection", () => {
  it("lists the key's projects with Basic auth (public key as user, secret key as password)", async () => {
    const { server, client } = await setup(minimalLangfuseFixture());
    expect(await client.testConnection()).toEqual({ projects: [{ id: "p-1", name: "fixture-project" }] });
    const expected = `Basic ${Buffer.from(`${server.publicKey}:${server.secretKey}`).toString("base64")}`;
    expect(server.requests[0]?.path).toBe("/api/public/projects");
    expect(server.requests[0]?.headers.authorization).toBe(expected);
  });

  it("fails with status 401 on a wrong secret, without echoing it", async () => {
    const { server } = await setup(minimalLangfuseFixture());
    const client = new LangfuseClient({ publicKey: server.publicKey, secretKey: "sk-wrong" }, { baseUrl: server.url });
    const err = await client.testConnection().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalServiceError);
    expect((err as ExternalServiceError).status).toBe(401);
    expect((err as ExternalServiceError).message).toContain("Invalid credentials");
    expect((err as ExternalServiceError).message).not.toContain("sk-wrong");
  });
});

describe("LangfuseClient.observations (v2)", () => {
  it("returns the API objects untouched", async () => {
    const fixture = minimalLangfuseFixture();
    const { client } = await setup(fixture);
    const pages = await allPages(client.observations(WINDOW));
    expect(observationsOf(pages)).toEqual(fixture.observations);
  });

  it("pages with the cursor until the API sends none, asking for every field group", async () => {
    const fixture = generateLangfuseFixture({ traces: 120, observationsPerTrace: 3 });
    const { server, client } = await setup(fixture);
    const pages = await allPages(client.observations({ ...WINDOW, limit: 50 }));
    expect(pages).toHaveLength(Math.ceil(360 / 50));
    expect(observationsOf(pages).map((o) => o.id)).toEqual(fixture.observations.map((o) => o.id));
    expect(pages.at(-1)?.done).toBe(true);
    expect(pages.slice(0, -1).every((p) => !p.done)).toBe(true);
    const queries = server.requests.map((r) => r.query);
    expect(queries.every((q) => q.get("fields") === LANGFUSE_V2_FIELDS && q.get("limit") === "50")).toBe(true);
    expect(queries[0]?.get("cursor")).toBeNull();
    expect(queries[1]?.get("cursor")).toBe((pages[0]!.resume as { cursor: string }).cursor);
    expect(queries[0]?.get("fromStartTime")).toBe(WINDOW.fromStartTime);
    expect(queries[0]?.get("toStartTime")).toBe(WINDOW.toStartTime);
  });

  it("walks 10,000 traces (30,000 observations) to the end at the largest page size", async () => {
    const fixture = generateLangfuseFixture({ traces: 10_000, spacingMs: 200 });
    const { server, client } = await setup(fixture);
    let count = 0;
    for await (const page of client.observations({ ...WINDOW, limit: 5000 })) {
      count += observationsOf([page]).length;
    }
    expect(count).toBe(30_000);
    expect(server.requests).toHaveLength(30);
    expect(server.requests.every((r) => r.query.get("limit") === "1000")).toBe(true);
  }, 30_000); // generous: 2 shared cores; the walk itself takes about a second

  it("resumes a walk from a stored position", async () => {
    const fixture = generateLangfuseFixture({ traces: 40 });
    const { client } = await setup(fixture);
    const first = await client.observationsV2Page({ ...WINDOW, limit: 25 }, null);
    const rest = await allPages(client.observations({ ...WINDOW, limit: 25 }, first.resume));
    const ids = [...observationsOf([first]), ...observationsOf(rest)].map((o) => o.id);
    expect(ids).toEqual(fixture.observations.map((o) => o.id));
  });

  it("honours the time window (from inclusive, to exclusive) and the user", async () => {
    const fixture = generateLangfuseFixture({ traces: 30, spacingMs: 60_000 });
    const { client } = await setup(fixture);
    const window = { fromStartTime: "2026-05-01T00:10:00.000Z", toStartTime: "2026-05-01T00:20:00.000Z" };
    const inWindow = observationsOf(await allPages(client.observations(window)));
    expect(new Set(inWindow.map((o) => o.traceId))).toEqual(
      new Set(Array.from({ length: 10 }, (_, i) => `t-${String(10 + i).padStart(6, "0")}`)),
    );
    const forUser = observationsOf(await allPages(client.observations({ ...WINDOW, userId: "u-1" })));
    expect(forUser.length).toBe(10 * 3);
    expect(forUser.every((o) => o.userId === "u-1")).toBe(true);
  });

  it("moves the whole window into `filter` when filtering by trace tags", async () => {
    const fixture = generateLangfuseFixture({ traces: 20 });
    const { server, client } = await setup(fixture);
    const tagged = observationsOf(
      await allPages(client.observations({ ...WINDOW, traceTags: ["beta"], userId: "u-1" })),
    );
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.every((o) => (o.tags as string[]).includes("beta") && o.userId === "u-1")).toBe(true);
    const query = server.requests[0]?.query;
    expect(query?.get("fromStartTime")).toBeNull();
    expect(JSON.parse(query?.get("filter") ?? "[]")).toEqual([
      { type: "datetime", column: "startTime", operator: ">=", value: WINDOW.fromStartTime },
      { type: "datetime", column: "startTime", operator: "<", value: WINDOW.toStartTime },
      { type: "arrayOptions", column: "traceTags", operator: "all of", value: ["beta"] },
      { type: "string", column: "userId", operator: "=", value: "u-1" },
    ]);
  });

  it("stops loudly at maxPages instead of silently truncating", async () => {
    const { client } = await setup(generateLangfuseFixture({ traces: 20 }), { maxPages: 3 });
    const { pages, error } = await collect(client.observations({ ...WINDOW, limit: 10 }));
    expect(pages).toHaveLength(3);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("CONFIGURATION_ERROR");
    expect((error as AppError).message).toContain("maxPages");
  });

  it("surfaces a 429 with its Retry-After, and a new walk from the last position finishes", async () => {
    const fixture = generateLangfuseFixture({ traces: 30 });
    const { server, client } = await setup(fixture);
    server.fail({ kind: "status", status: 429, retryAfter: "7", times: 1, match: (r) => r.query.has("cursor") });
    const first = await collect(client.observations({ ...WINDOW, limit: 40 }));
    expect(first.pages).toHaveLength(1);
    expect(first.error).toBeInstanceOf(ExternalServiceError);
    expect(first.error).toMatchObject({ status: 429, retryAfterMs: 7000 });
    const rest = await allPages(client.observations({ ...WINDOW, limit: 40 }, first.pages[0]?.resume));
    expect([...observationsOf(first.pages), ...observationsOf(rest)]).toHaveLength(90);
  });
});

describe("LangfuseClient.observations (legacy fallback)", () => {
  it("falls back to traces + observations when v2 answers 404, paging both to the end", async () => {
    const fixture = generateLangfuseFixture({ traces: 130, observationsPerTrace: 2 });
    fixture.observations.push(
      ...Array.from({ length: 150 }, (_, k) => ({
        ...fixture.observations[0],
        id: `obs-extra-${k}`,
        parentObservationId: "obs-000000-0",
        startTime: `2026-05-01T00:00:0${k % 10}.000Z`,
      })),
    );
    const { server, client } = await setup(fixture, { v2: false });
    const pages = await allPages(client.observations(WINDOW));
    expect(pages.map((p) => p.api)).toEqual(["legacy", "legacy"]);
    expect(pages.map((p) => p.resume)).toEqual([
      { api: "legacy", page: 2 },
      { api: "legacy", page: 3 },
    ]);
    const traces = tracesOf(pages);
    expect(traces.map((t) => t.trace.id)).toEqual(fixture.traces.map((t) => t.id));
    expect(traces[0]?.observations).toHaveLength(152);
    expect(traces[1]?.observations.map((o) => o.id)).toEqual(["obs-000001-0", "obs-000001-1"]);
    expect(traces[1]?.observations[0]?.input).toEqual({ question: "question 1" });
    const paths = server.requests.map((r) => r.path);
    expect(paths[0]).toBe("/api/public/v2/observations");
    const listCall = server.requests.find((r) => r.path === "/api/public/traces");
    expect(Object.fromEntries(listCall?.query ?? [])).toMatchObject({
      page: "1",
      limit: "100",
      fromTimestamp: WINDOW.fromStartTime,
      toTimestamp: WINDOW.toStartTime,
      orderBy: "timestamp.asc",
    });
    const firstTraceCalls = server.requests.filter((r) => r.query.get("traceId") === "t-000000");
    expect(firstTraceCalls.map((r) => r.query.get("page"))).toEqual(["1", "2"]);
  });

  it("filters legacy traces by user and every tag", async () => {
    const fixture = generateLangfuseFixture({ traces: 12 });
    const { server, client } = await setup(fixture, { v2: false });
    const traces = tracesOf(
      await allPages(client.observations({ ...WINDOW, userId: "u-1", traceTags: ["prod", "beta"] })),
    );
    expect(traces.map((t) => t.trace.id)).toEqual(["t-000001", "t-000007"]);
    const listCall = server.requests.find((r) => r.path === "/api/public/traces");
    expect(listCall?.query.getAll("tags")).toEqual(["prod", "beta"]);
  });

  it("resumes a legacy walk without asking v2 again", async () => {
    const { server, client } = await setup(generateLangfuseFixture({ traces: 5 }), { v2: false });
    const traces = tracesOf(await allPages(client.observations({ ...WINDOW, limit: 2 }, { api: "legacy", page: 2 })));
    expect(traces.map((t) => t.trace.id)).toEqual(["t-000002", "t-000003", "t-000004"]);
    expect(server.requests.some((r) => r.path === "/api/public/v2/observations")).toBe(false);
  });

  it("does not fall back on other errors", async () => {
    const { server, client } = await setup(generateLangfuseFixture({ traces: 2 }));
    server.fail({ kind: "status", status: 500, times: 1 });
    const { error } = await collect(client.observations(WINDOW));
    expect(error).toMatchObject({ status: 500 });
    expect(server.requests.map((r) => r.path)).toEqual(["/api/public/v2/observations"]);
  });
});

describe("LangfuseClient.scores", () => {
  it("pages through scores with the page API and passes the label filters", async () => {
    const fixture = generateLangfuseFixture({ traces: 250 });
    const { server, client } = await setup(fixture);
    const query = { source: "ANNOTATION" as const, fromTimestamp: "2026-05-01T00:00:00.000Z", limit: 500 };
    const pages = await allPages(client.scores(query));
    expect(pages.flatMap((p) => p.scores).map((s) => s.id)).toEqual(fixture.scores.map((s) => s.id));
    expect(pages).toHaveLength(2);
    expect(server.requests.map((r) => r.query.get("limit"))).toEqual(["100", "100"]);
    expect(server.requests[0]?.query.get("source")).toBe("ANNOTATION");
    const beta = await allPages(client.scores({ traceTags: ["beta"] }));
    expect(beta.flatMap((p) => p.scores)).toEqual([]);
  });
});
