import { describe, expect, it } from "vitest";
import { startLangSmithServer } from "../fixtures/servers/langsmith";
import { generateLangSmithFixture, type LangSmithFixture } from "../fixtures/servers/langsmith-data";
import { readJson } from "../helpers/app";
import { makeImportApp, storedExternalIds, storedTraces, treeOf } from "./support";

async function langSmithSetup(options: { traces: number; v2Status?: 404 | 405; byName?: boolean }) {
  const t = await makeImportApp();
  const fixture = generateLangSmithFixture({ traces: options.traces });
  const server = await startLangSmithServer({ fixture, ...(options.v2Status ? { v2Status: options.v2Status } : {}) });
  const config = options.byName ? { project_name: fixture.projectName } : { project_id: fixture.projectId };
  const integrationId = await t.createIntegration({
    platform: "langsmith",
    api_key: server.apiKey,
    base_url: server.url,
    config,
  });
  return { ...t, fixture, server, integrationId };
}

const rootIds = (fixture: LangSmithFixture) =>
  fixture.runs
    .filter((r) => r.parent_run_id === null)
    .map((r) => String(r.trace_id))
    .sort();

function expectedTree(fixture: LangSmithFixture, traceId: string): string[] {
  return fixture.runs
    .filter((r) => r.trace_id === traceId)
    .map((r) => `${r.id} <- ${r.parent_run_id ?? "root"}`)
    .sort();
}

const queries = (paths: string[]) => (r: { path: string }) => paths.includes(r.path);

describe("LangSmith import", () => {
  it("pages root runs (v2) to the end and builds each trace's child runs into its span tree", async () => {
    const t = await langSmithSetup({ traces: 25 });
    const job = await t.runImport({ integration_id: t.integrationId, page_size: 4 });
    expect(job.status).toBe("completed");
    expect(job.result).toMatchObject({ imported: 25, updated: 0, rejected: 0, pages: 7 });
    expect(await storedExternalIds(t.db)).toEqual(rootIds(t.fixture));
    const stored = await storedTraces(t.ctx);
    for (const id of rootIds(t.fixture)) {
      expect(treeOf(stored.get(id)!), id).toEqual(expectedTree(t.fixture, id));
    }
    const v2 = t.server.requests.filter(queries(["/api/v2/runs/query"]));
    // 7 root pages plus one trace query per root.
    expect(v2).toHaveLength(7 + 25);
    expect(v2[0]?.body).toMatchObject({ is_root: true, min_start_time: "1970-01-01T00:00:00.000Z", page_size: 4 });
    await t.server.close();
  });

  it.each([404, 405] as const)("falls back to the v1 runs query when v2 answers %i", async (v2Status) => {
    const t = await langSmithSetup({ traces: 9, v2Status, byName: true });
    const job = await t.runImport({ integration_id: t.integrationId, page_size: 4 });
    expect(job.result).toMatchObject({ imported: 9, pages: 3 });
    expect(t.server.requests.filter(queries(["/api/v2/runs/query"]))).toHaveLength(1);
    expect(t.server.requests.filter(queries(["/api/v1/runs/query", "/runs/query"]))).toHaveLength(3 + 9);
    const stored = await storedTraces(t.ctx);
    for (const id of rootIds(t.fixture)) {
      expect(treeOf(stored.get(id)!), id).toEqual(expectedTree(t.fixture, id));
    }
    await t.server.close();
  });

  it("imports only the date range asked for, and continues incrementally after a full sync", async () => {
    const t = await langSmithSetup({ traces: 20 });
    const ranged = await t.runImport({
      integration_id: t.integrationId,
      filters: { date_from: "2026-05-01T00:05:00Z", date_to: "2026-05-01T00:10:00Z" },
    });
    expect(ranged.result).toMatchObject({ imported: 5 });
    expect(await storedExternalIds(t.db)).toEqual(rootIds(t.fixture).slice(5, 10));
    const full = await t.runImport({ integration_id: t.integrationId });
    expect(full.result).toMatchObject({ imported: 15, updated: 5 });
    const again = await t.runImport({ integration_id: t.integrationId });
    expect(again.result).toMatchObject({ imported: 0, updated: 0, pages: 1 });
    expect(await storedExternalIds(t.db)).toEqual(rootIds(t.fixture));
    await t.server.close();
  });

  it("refuses tag and user filters, which the LangSmith client cannot apply", async () => {
    const t = await langSmithSetup({ traces: 1 });
    const res = await t.post("/api/traces/import", {
      integration_id: t.integrationId,
      filters: { tags: ["prod"], user_ids: ["u-1"] },
    });
    expect(res.status).toBe(400);
    const body = await readJson(res);
    expect(body.error.code).toBe("VALIDATION_ERROR");
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(["filters.tags", "filters.user_ids"]);
    await t.server.close();
  });
});
