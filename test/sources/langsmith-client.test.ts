import { afterEach, describe, expect, it } from "vitest";
import { AppError, ExternalServiceError } from "../../src/errors";
import {
  LANGSMITH_V1_SELECT,
  LANGSMITH_V2_SELECTS,
  LangSmithClient,
  type LangSmithPage,
  toUtcIso,
} from "../../src/sources";
import { type LangSmithServer, startLangSmithServer } from "../fixtures/servers/langsmith";
import { generateLangSmithFixture, type LangSmithFixture } from "../fixtures/servers/langsmith-data";
import { allPages, collect } from "./collect";

const servers: LangSmithServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fixture: LangSmithFixture, v2Status?: 404 | 405) {
  const server = await startLangSmithServer({ fixture, ...(v2Status ? { v2Status } : {}) });
  servers.push(server);
  return { server, client: new LangSmithClient(server.apiKey, { baseUrl: server.url }) };
}

const WINDOW = { minStartTime: "2026-05-01T00:00:00.000Z", maxStartTime: "2026-06-01T00:00:00.000Z" };
const tracesOf = (pages: LangSmithPage[]) => pages.flatMap((p) => p.traces);
const rootsQueried = (server: LangSmithServer) =>
  server.requests.filter((r) => (r.body as Record<string, unknown> | undefined)?.is_root === true);

describe("LangSmithClient.testConnection", () => {
  it("makes an authenticated call with x-api-key and resolves a project by name", async () => {
    const fixture = generateLangSmithFixture({ traces: 1 });
    const { server, client } = await setup(fixture);
    expect(await client.testConnection()).toEqual({ projectId: null });
    expect(await client.testConnection({ projectName: "support-bot" })).toEqual({ projectId: fixture.projectId });
    expect(server.requests.every((r) => r.headers["x-api-key"] === server.apiKey)).toBe(true);
    expect(server.requests.at(-1)?.query.get("name")).toBe("support-bot");
  });

  it("answers 401 for a wrong key and 404 for an unknown project name", async () => {
    const { server, client } = await setup(generateLangSmithFixture({ traces: 1 }));
    const wrong = new LangSmithClient("lsv2_pt_wrong", { baseUrl: server.url });
    await expect(wrong.testConnection()).rejects.toMatchObject({ status: 401, service: "LangSmith" });
    const missing = await client.testConnection({ projectName: "nope" }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ExternalServiceError);
    expect(missing).toMatchObject({ status: 404, message: 'LangSmith has no project named "nope"' });
  });

  it("needs a project id or name to import", async () => {
    const { client } = await setup(generateLangSmithFixture({ traces: 1 }));
    await expect(client.resolveProjectId({})).rejects.toBeInstanceOf(AppError);
    expect(await client.resolveProjectId({ projectId: "given" })).toBe("given");
  });
});

describe("LangSmithClient.traces (v2)", () => {
  it("pages root runs to the end and fetches each root's whole trace", async () => {
    const fixture = generateLangSmithFixture({ traces: 95, childrenPerTrace: 3 });
    const { server, client } = await setup(fixture);
    const pages = await allPages(client.traces({ projectId: fixture.projectId, ...WINDOW, pageSize: 40 }));
    expect(pages.map((p) => [p.api, p.done])).toEqual([
      ["v2", false],
      ["v2", false],
      ["v2", true],
    ]);
    const traces = tracesOf(pages);
    const roots = fixture.runs.filter((r) => r.parent_run_id === null);
    expect(traces.map((t) => t.root.id)).toEqual(roots.map((r) => r.id));
    for (const trace of traces) {
      expect(trace.runs).toHaveLength(4);
      expect(new Set(trace.runs.map((r) => r.trace_id))).toEqual(new Set([trace.root.id]));
    }
    const [firstRootQuery] = rootsQueried(server);
    expect(firstRootQuery?.path).toBe("/api/v2/runs/query");
    expect(firstRootQuery?.body).toEqual({
      project_ids: [fixture.projectId],
      is_root: true,
      min_start_time: WINDOW.minStartTime,
      max_start_time: WINDOW.maxStartTime,
      selects: [...LANGSMITH_V2_SELECTS],
      page_size: 40,
    });
  });

  it("asks for a trace from its root's start, reading zone-less times as UTC", async () => {
    const fixture = generateLangSmithFixture({ traces: 3, childrenPerTrace: 1 });
    const { server, client } = await setup(fixture);
    const traces = tracesOf(await allPages(client.traces({ projectId: fixture.projectId, ...WINDOW })));
    expect(traces.map((t) => t.runs.length)).toEqual([2, 2, 2]);
    const childQuery = server.requests.find(
      (r) =>
        (r.body as Record<string, unknown>).trace_id ===
        fixture.runs.find((x) => x.name === "support-agent" && !String(x.start_time).endsWith("Z"))?.id,
    );
    expect((childQuery!.body as Record<string, unknown>).min_start_time).toBe("2026-05-01T00:02:00.000000Z");
  });

  it("honours the start-time window and resumes from a stored position", async () => {
    const fixture = generateLangSmithFixture({ traces: 30, childrenPerTrace: 0 });
    const { client } = await setup(fixture);
    const window = { minStartTime: "2026-05-01T00:05:00.000Z", maxStartTime: "2026-05-01T00:15:00.000Z" };
    const query = { projectId: fixture.projectId, ...window, pageSize: 4 };
    const first = await collect(client.traces(query));
    expect(tracesOf(first.pages)).toHaveLength(10);
    const resumed = await allPages(client.traces(query, first.pages[0]?.resume));
    expect(tracesOf(resumed)).toHaveLength(6);
  });

  it("classifies a 500 as the server's failure", async () => {
    const fixture = generateLangSmithFixture({ traces: 2 });
    const { server, client } = await setup(fixture);
    server.fail({ kind: "status", status: 500, times: 1 });
    const { error } = await collect(client.traces({ projectId: fixture.projectId, ...WINDOW }));
    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject({ status: 500, retryAfterMs: undefined });
  });
});

describe("LangSmithClient.traces (v1 fallback)", () => {
  it.each([404, 405] as const)("falls back to v1 runs query when v2 answers %i", async (status) => {
    const fixture = generateLangSmithFixture({ traces: 130, childrenPerTrace: 2 });
    const { server, client } = await setup(fixture, status);
    const pages = await allPages(client.traces({ projectId: fixture.projectId, ...WINDOW }));
    expect(pages.map((p) => p.api)).toEqual(["v1", "v1"]);
    expect(pages[0]?.resume.api).toBe("v1");
    const traces = tracesOf(pages);
    expect(traces).toHaveLength(130);
    expect(traces.every((t) => t.runs.length === 3)).toBe(true);
    const v1Roots = rootsQueried(server).filter((r) => r.path === "/api/v1/runs/query");
    expect(v1Roots[0]?.body).toEqual({
      session: [fixture.projectId],
      is_root: true,
      start_time: WINDOW.minStartTime,
      filter: `lt(start_time, "${WINDOW.maxStartTime}")`,
      order: "asc",
      select: [...LANGSMITH_V1_SELECT],
      limit: 100,
    });
    expect((v1Roots[1]!.body as Record<string, unknown>).cursor).toBe(pages[0]?.resume.cursor);
    const traceQuery = server.requests.find((r) => (r.body as Record<string, unknown>).trace !== undefined);
    expect(traceQuery?.path).toBe("/api/v1/runs/query");
    expect(server.requests.filter((r) => r.path === "/api/v2/runs/query")).toHaveLength(1);
  });

  it("resumes a v1 walk without asking v2 again", async () => {
    const fixture = generateLangSmithFixture({ traces: 3, childrenPerTrace: 0 });
    const { server, client } = await setup(fixture, 404);
    const traces = tracesOf(
      await allPages(client.traces({ projectId: fixture.projectId, ...WINDOW }, { api: "v1", cursor: null })),
    );
    expect(traces).toHaveLength(3);
    expect(server.requests.some((r) => r.path === "/api/v2/runs/query")).toBe(false);
  });
});

describe("toUtcIso", () => {
  it("treats zone-less times as UTC and accepts epoch milliseconds", () => {
    expect(toUtcIso("2026-05-01T00:00:00.123456")).toBe("2026-05-01T00:00:00.123456Z");
    expect(toUtcIso("2026-05-01T00:00:00+02:00")).toBe("2026-05-01T00:00:00+02:00");
    expect(toUtcIso("2026-05-01T00:00:00Z")).toBe("2026-05-01T00:00:00Z");
    expect(toUtcIso(1_777_593_600_000)).toBe("2026-05-01T00:00:00.000Z");
    expect(toUtcIso(null)).toBeUndefined();
  });
});
