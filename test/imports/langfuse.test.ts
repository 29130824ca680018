import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { feedback, traces } from "../../src/db/schema";
import { type LangfuseServer, startLangfuseServer } from "../fixtures/servers/langfuse";
import { generateLangfuseFixture, type LangfuseFixture } from "../fixtures/servers/langfuse-data";
import { integrationRow, logsOf, makeImportApp, storedExternalIds, storedTraces, treeOf } from "./support";

const pad = (i: number) => String(i).padStart(6, "0");

async function langfuseSetup(options: { traces: number; v2?: boolean; secretKey?: string }) {
  const t = await makeImportApp();
  const fixture = generateLangfuseFixture({ traces: options.traces });
  const server = await startLangfuseServer({ fixture, ...(options.v2 === false ? { v2: false } : {}) });
  const apiKey = options.secretKey ? `${server.publicKey}:${options.secretKey}` : server.apiKey;
  const integrationId = await t.createIntegration({ platform: "langfuse", api_key: apiKey, base_url: server.url });
  return { ...t, fixture, server, integrationId };
}

const v2Requests = (server: LangfuseServer) => server.requests.filter((r) => r.path === "/api/public/v2/observations");

/** The tree every generated trace has: an AGENT root with its children under it. */
function expectedTree(fixture: LangfuseFixture, traceId: string): string[] {
  return fixture.observations
    .filter((o) => o.traceId === traceId)
    .map((o) => `${o.id} <- ${o.parentObservationId ?? "root"}`)
    .sort();
}

describe("Langfuse import (v2 observations)", () => {
  it("pages to the end and rebuilds traces that straddle pages into whole span trees", async () => {
    const t = await langfuseSetup({ traces: 30 });
    // 90 observations, 7 per page: 13 pages, and most pages cut a trace in two.
    const job = await t.runImport({ integration_id: t.integrationId, page_size: 7 });
    expect(job.status).toBe("completed");
    expect(job.result).toMatchObject({ imported: 30, rejected: 0, pages: 13, limit: null, limit_reached: false });
    expect(v2Requests(t.server)).toHaveLength(13);
    expect(await storedExternalIds(t.db)).toEqual(t.fixture.traces.map((tr) => String(tr.id)).sort());
    const stored = await storedTraces(t.ctx);
    for (const trace of t.fixture.traces) {
      const id = String(trace.id);
      expect(treeOf(stored.get(id)!), id).toEqual(expectedTree(t.fixture, id));
      expect(stored.get(id)?.name).toBe("support-agent");
    }
    await t.server.close();
  });

  it("reports progress and a log line per page, and records the sync position", async () => {
    const t = await langfuseSetup({ traces: 12 });
    // 9 observations a page: three whole traces each.
    const job = await t.runImport({ integration_id: t.integrationId, page_size: 9 });
    expect(job.result).toMatchObject({ imported: 12, pages: 4 });
    const pageLines = (await logsOf(t.db, job.id)).filter((l) => l.message.startsWith("Page "));
    // Estimates come from how far into the window the traces' start times have reached.
    expect(pageLines.map((l) => l.message)).toEqual([
      expect.stringMatching(/^Page 1 of ~\d+: 3 traces stored \(3 new, 0 updated\), 0 rejected$/),
      expect.stringMatching(/^Page 2 of ~\d+: 3 traces stored \(3 new, 0 updated\), 0 rejected$/),
      expect.stringMatching(/^Page 3 of ~\d+: 3 traces stored \(3 new, 0 updated\), 0 rejected$/),
      "Page 4: 3 traces stored (3 new, 0 updated), 0 rejected",
    ]);
    const integration = await integrationRow(t.db, t.integrationId);
    expect(integration?.status).toBe("active");
    expect(integration?.lastSyncedAt).not.toBeNull();
    // The next window starts where this one ended, less the overlap for late-indexed data.
    // The window ended when the job was created (the fake clock moves while the runner idles).
    const from = new Date(Date.parse(job.createdAt) - 10 * 60_000).toISOString();
    expect(integration?.syncCursor).toEqual({ from });
    expect(job.result?.sync_cursor).toEqual({ from });
    await t.server.close();
  });

  it("falls back to the legacy traces and observations pages on a server without v2", async () => {
    const t = await langfuseSetup({ traces: 12, v2: false });
    const job = await t.runImport({ integration_id: t.integrationId, page_size: 5 });
    expect(job.result).toMatchObject({ imported: 12, updated: 0, pages: 3, rejected: 0 });
    expect(v2Requests(t.server)).toHaveLength(1);
    expect(t.server.requests.filter((r) => r.path === "/api/public/traces")).toHaveLength(3);
    const stored = await storedTraces(t.ctx);
    expect([...stored.keys()].sort()).toEqual(t.fixture.traces.map((tr) => String(tr.id)).sort());
    expect(stored.get("t-000004")?.input).toEqual({ question: "question 4" });
    expect(treeOf(stored.get("t-000004")!)).toEqual(expectedTree(t.fixture, "t-000004"));
    await t.server.close();
  });

  it("applies the date range, tag and user filters on the source", async () => {
    const t = await langfuseSetup({ traces: 40 });
    const filters = {
      date_from: "2026-05-01T00:05:00.000Z",
      date_to: "2026-05-01T00:35:00.000Z",
      tags: ["beta"],
      user_ids: ["u-1", "u-2"],
    };
    const job = await t.runImport({ integration_id: t.integrationId, filters, page_size: 50 });
    const expected = t.fixture.traces
      .filter((tr) => {
        const at = String(tr.timestamp);
        const tags = tr.tags as string[];
        return (
          at >= filters.date_from &&
          at < filters.date_to &&
          tags.includes("beta") &&
          ["u-1", "u-2"].includes(String(tr.userId))
        );
      })
      .map((tr) => String(tr.id))
      .sort();
    expect(expected.length).toBeGreaterThan(3);
    expect(await storedExternalIds(t.db)).toEqual(expected);
    expect(job.result).toMatchObject({ imported: expected.length, sync_cursor: null });
    // One walk per user; a filtered import saw part of the source, so the sync cursor stays put.
    expect(new Set(v2Requests(t.server).map((r) => JSON.parse(r.query.get("filter") ?? "[]").at(-1)?.value))).toEqual(
      new Set(["u-1", "u-2"]),
    );
    expect((await integrationRow(t.db, t.integrationId))?.syncCursor).toBeNull();
    await t.server.close();
  });

  it("turns human scores into labels when asked", async () => {
    const t = await langfuseSetup({ traces: 20 });
    const job = await t.runImport({ integration_id: t.integrationId, import_scores_as_labels: true });
    expect(job.result).toMatchObject({ imported: 20, labels_imported: 10 });
    const labels = await t.db
      .select({ externalId: traces.externalId, rating: feedback.rating, notes: feedback.notes })
      .from(feedback)
      .innerJoin(traces, eq(traces.id, feedback.traceId));
    // Every other trace has a BOOLEAN annotation: true (1) every fourth, false (0) otherwise.
    const expected = [];
    for (let i = 0; i < 20; i += 2) {
      const good = i % 4 === 0;
      expected.push({
        externalId: `t-${pad(i)}`,
        rating: good ? "positive" : "negative",
        notes: good ? "solved it" : "missed the point",
      });
    }
    expect(labels.sort((a, b) => a.externalId.localeCompare(b.externalId))).toEqual(expected);
    expect(t.server.requests.filter((r) => r.path === "/api/public/v2/scores")[0]?.query.get("source")).toBe(
      "ANNOTATION",
    );
    await t.server.close();
  });

  it("stops at an explicit limit, reports it, and the next sync continues where it stopped", async () => {
    const t = await langfuseSetup({ traces: 30 });
    // Pages of 7 observations: after three pages 9 traces are stored (two of them completed by a
    // later page); the fourth page starts t-000007, t-000008 and t-000009, and the limit keeps one.
    const first = await t.runImport({ integration_id: t.integrationId, page_size: 7, filters: { limit: 10 } });
    expect(first.result).toMatchObject({ imported: 8, updated: 2, pages: 4, limit: 10, limit_reached: true });
    expect(await storedExternalIds(t.db)).toEqual(t.fixture.traces.slice(0, 8).map((tr) => String(tr.id)));
    // The high-water mark is the first trace not stored, so nothing before it is skipped.
    expect(first.result?.sync_cursor).toEqual({ from: "2026-05-01T00:08:00.000Z" });
    const second = await t.runImport({ integration_id: t.integrationId, page_size: 7 });
    expect(second.result).toMatchObject({ imported: 22, limit_reached: false });
    const stored = await storedTraces(t.ctx);
    expect(stored.size).toBe(30);
    for (const [id, trace] of stored) {
      expect(treeOf(trace), id).toEqual(expectedTree(t.fixture, id));
    }
    await t.server.close();
  });

  it("continues incrementally from the sync position: new traces only, and nothing on a re-run", async () => {
    const t = await langfuseSetup({ traces: 10 });
    const first = await t.runImport({ integration_id: t.integrationId });
    expect(first.result).toMatchObject({ imported: 10, updated: 0 });
    // Three traces arrive later than the first window's end.
    const later = generateLangfuseFixture({ traces: 3, start: t.clock.now().toISOString() });
    const rename = (value: unknown) => String(value).replace(/^(t|obs|score)-/, "$1-new-");
    for (const obs of later.observations) {
      t.fixture.observations.push({
        ...obs,
        id: rename(obs.id),
        traceId: rename(obs.traceId),
        parentObservationId: obs.parentObservationId === null ? null : rename(obs.parentObservationId),
      });
    }
    t.clock.advance(3_600_000);
    const second = await t.runImport({ integration_id: t.integrationId });
    expect(second.result).toMatchObject({ imported: 3, updated: 0 });
    expect(v2Requests(t.server).at(-1)?.query.get("fromStartTime")).toBe(
      new Date(Date.parse(first.createdAt) - 600_000).toISOString(),
    );
    const third = await t.runImport({ integration_id: t.integrationId });
    expect(third.result).toMatchObject({ imported: 0, updated: 0 });
    const resync = await t.runImport({ integration_id: t.integrationId, full_resync: true });
    expect(resync.result).toMatchObject({ imported: 0, updated: 13 });
    expect(await storedExternalIds(t.db)).toHaveLength(13);
    await t.server.close();
  });
});
