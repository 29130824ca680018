import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { TraceImportAccepted } from "../../src/api/trace-import.schemas";
import { DEFAULT_WORKSPACE_ID, ensureWorkspace } from "../../src/auth/resolve";
import { jobs } from "../../src/db/schema";
import { createRecordingQueue, expectError, makeTestApp, readJson } from "../helpers/app";
import { createApiKey, createIntegration, createWorkspace } from "../helpers/factories";

const NOW = "2026-06-01T00:00:00.000Z";

async function setup(env: Record<string, string> = {}) {
  const jobQueue = createRecordingQueue();
  const t = await makeTestApp({ jobQueue, env });
  t.clock.set(NOW);
  await ensureWorkspace(t.db, DEFAULT_WORKSPACE_ID);
  const ws = { id: DEFAULT_WORKSPACE_ID };
  const integration = (over: Parameters<typeof createIntegration>[2] = {}) => createIntegration(t.db, ws, over);
  const start = (body: unknown, options: { apiKey?: string } = {}) =>
    t.request("/api/traces/import", { method: "POST", body, ...options });
  const metadataOf = async (jobId: string) => {
    const [row] = await t.db.select().from(jobs).where(eq(jobs.id, jobId));
    return row?.metadata;
  };
  return { ...t, jobQueue, integration, start, metadataOf };
}

describe("POST /api/traces/import", () => {
  it("queues an import job (202) over the whole history when nothing was synced yet", async () => {
    const t = await setup();
    const { id } = await t.integration({ config: { import_scores: true } });
    const res = await t.start({ integration_id: id, filters: { limit: 500 }, page_size: 200 });
    expect(res.status).toBe(202);
    const body = TraceImportAccepted.parse(await readJson(res));
    expect(body).toEqual({ job_id: expect.stringMatching(/^job_/), status: "queued", integration_id: id });
    expect(t.jobQueue.sent).toEqual([{ jobId: body.job_id, delayMs: 0 }]);
    expect(await t.metadataOf(body.job_id)).toEqual({
      integration_id: id,
      start: { kind: "window", from: "1970-01-01T00:00:00.000Z", to: NOW },
      tags: [],
      user_ids: [],
      limit: 500,
      page_size: 200,
      import_scores_as_labels: true,
      moves_sync_cursor: true,
    });
  });

  it("continues from the sync cursor unless told otherwise, and clamps the window to now", async () => {
    const t = await setup();
    const { id } = await t.integration({ syncCursor: { from: "2026-05-20T00:00:00.000Z" } });
    const windowOf = async (body: Record<string, unknown>) => {
      const { job_id } = await readJson(await t.start({ integration_id: id, ...body }));
      const { start } = (await t.metadataOf(job_id)) as { start: unknown };
      await t.request(`/api/jobs/${job_id}/cancel`, { method: "POST" }); // one import at a time
      return start;
    };
    expect(await windowOf({})).toEqual({ kind: "window", from: "2026-05-20T00:00:00.000Z", to: NOW });
    expect(await windowOf({ full_resync: true })).toMatchObject({ from: "1970-01-01T00:00:00.000Z" });
    expect(await windowOf({ filters: { date_from: "2026-05-01", date_to: "2027-01-01T00:00:00+02:00" } })).toEqual({
      kind: "window",
      from: "2026-05-01T00:00:00.000Z",
      to: NOW,
    });
  });

  it("refuses a second import of an integration while one is queued or running (409 naming it)", async () => {
    const t = await setup();
    const { id } = await t.integration();
    const first = await readJson(await t.start({ integration_id: id }));
    const refused = await expectError(t.start({ integration_id: id }), 409, "ALREADY_EXISTS");
    expect(refused.error.details).toEqual([{ job_id: first.job_id, status: "queued" }]);
    expect(refused.error.message).toContain(`/api/jobs/${first.job_id}`);
    expect((await t.start({ integration_id: (await t.integration()).id })).status).toBe(202);
    await t.db.update(jobs).set({ status: "running" }).where(eq(jobs.id, first.job_id));
    await expectError(t.start({ integration_id: id }), 409, "ALREADY_EXISTS");
    await t.db.update(jobs).set({ status: "completed" }).where(eq(jobs.id, first.job_id));
    expect((await t.start({ integration_id: id })).status).toBe(202);
  });

  it("refuses to retry a failed import while another import of the integration is active", async () => {
    const t = await setup();
    const { id } = await t.integration();
    const failed = await readJson(await t.start({ integration_id: id }));
    await t.db.update(jobs).set({ status: "failed" }).where(eq(jobs.id, failed.job_id));
    await t.start({ integration_id: id });
    await expectError(t.request(`/api/jobs/${failed.job_id}/retry`, { method: "POST" }), 409, "ALREADY_EXISTS");
    expect((await t.db.select().from(jobs).where(eq(jobs.id, failed.job_id)))[0]?.status).toBe("failed");
  });

  it("lets exactly one of two simultaneous imports of an integration start", async () => {
    const t = await setup();
    const { id } = await t.integration();
    const answers = await Promise.all([t.start({ integration_id: id }), t.start({ integration_id: id })]);
    expect(answers.map((res) => res.status).sort()).toEqual([202, 409]);
    const rows = await t.db.select().from(jobs).where(eq(jobs.type, "import"));
    expect(rows).toHaveLength(1);
  });

  it("starts an OpenAI import after the last completion synced", async () => {
    const t = await setup();
    const { id } = await t.integration({ platform: "openai", syncCursor: { after: "chatcmpl-9" } });
    const res = await t.start({ integration_id: id });
    expect((await t.metadataOf((await readJson(res)).job_id))?.start).toEqual({
      kind: "after",
      after: "chatcmpl-9",
      until: NOW,
    });
  });

  it("marks filtered imports so they leave the sync cursor alone", async () => {
    const t = await setup();
    const { id } = await t.integration();
    const res = await t.start({ integration_id: id, filters: { tags: ["prod"], user_ids: ["u-1"] } });
    expect(await t.metadataOf((await readJson(res)).job_id)).toMatchObject({
      tags: ["prod"],
      user_ids: ["u-1"],
      moves_sync_cursor: false,
    });
  });

  it("answers 404 for another workspace's integration and for an unknown one", async () => {
    const t = await setup();
    const other = await createWorkspace(t.db);
    const theirs = await createIntegration(t.db, other);
    for (const id of [theirs.id, "int_doesnotexist"]) {
      const res = await t.start({ integration_id: id });
      expect(res.status).toBe(404);
      expect((await readJson(res)).error.code).toBe("NOT_FOUND");
    }
    expect(t.jobQueue.sent).toEqual([]);
  });

  it.each([
    ["a missing integration_id", { integration_id: undefined }],
    ["a limit of 0", { filters: { limit: 0 } }],
    ["a limit over 1,000,000", { filters: { limit: 1_000_001 } }],
    ["a fractional limit", { filters: { limit: 2.5 } }],
    ["a date without a zone", { filters: { date_from: "2026-05-01T10:00:00" } }],
    ["date_from after date_to", { filters: { date_from: "2026-05-02", date_to: "2026-05-01" } }],
    ["too many tags", { filters: { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) } }],
    ["an empty tag", { filters: { tags: [""] } }],
    ["a page size over 1000", { page_size: 1001 }],
    ["a non-boolean flag", { full_resync: "yes" }],
  ])("refuses %s with 400", async (_name, body) => {
    const t = await setup();
    const { id } = await t.integration();
    const res = await t.start({ integration_id: id, ...body });
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.code).toBe("VALIDATION_ERROR");
  });

  it("refuses an empty window (date_from not before now)", async () => {
    const t = await setup();
    const { id } = await t.integration();
    const res = await t.start({ integration_id: id, filters: { date_from: "2026-07-01" } });
    expect(res.status).toBe(400);
    expect((await readJson(res)).error.details).toEqual([
      { path: "filters.date_from", message: "date_from must be before date_to and now" },
    ]);
  });

  it("refuses a malformed integration id and a body that is not JSON", async () => {
    const t = await setup();
    expect((await t.start({ integration_id: "not an id" })).status).toBe(400);
    const res = await t.request("/api/traces/import", {
      method: "POST",
      rawBody: "{",
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
  });

  it("lets a member import (the key is used, never shown)", async () => {
    const t = await setup({ AUTH_MODE: "key" });
    const ws = await createWorkspace(t.db);
    const member = await createApiKey(t.db, ws, "member");
    const { id } = await createIntegration(t.db, ws);
    const res = await t.start({ integration_id: id }, { apiKey: member.key });
    expect(res.status).toBe(202);
  });
});
