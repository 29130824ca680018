import { describe, expect, it } from "vitest";
import type { RecordedRequest } from "../fixtures/servers/http-server";
import { startOpenAIServer } from "../fixtures/servers/openai";
import { BIG_INTEGER, generateOpenAIFixture } from "../fixtures/servers/openai-data";
import { readJson } from "../helpers/app";
import { integrationRow, makeImportApp, storedExternalIds, storedTraces } from "./support";

async function openAISetup(completions: number) {
  const t = await makeImportApp();
  const fixture = generateOpenAIFixture({ completions, bigIntegerAt: 2 });
  const server = await startOpenAIServer({ fixture });
  const integrationId = await t.createIntegration({ platform: "openai", api_key: server.apiKey, base_url: server.url });
  const ids = () => fixture.completions.map((c) => String(c.id)).sort();
  return { ...t, fixture, server, integrationId, ids };
}

const listRequests = (requests: RecordedRequest[]) => requests.filter((r) => r.path === "/v1/chat/completions");

describe("OpenAI stored completions import", () => {
  it("lists completions page by page, then fetches each one's messages", async () => {
    const t = await openAISetup(23);
    const job = await t.runImport({ integration_id: t.integrationId, page_size: 5 });
    expect(job.status).toBe("completed");
    expect(job.result).toMatchObject({ imported: 23, updated: 0, rejected: 0, pages: 5 });
    expect(listRequests(t.server.requests)).toHaveLength(5);
    expect(t.server.requests.filter((r) => r.path.endsWith("/messages"))).toHaveLength(23);
    expect(await storedExternalIds(t.db)).toEqual(t.ids());
    const stored = await storedTraces(t.ctx);
    const first = stored.get("chatcmpl-000000");
    expect(first?.spans).toHaveLength(1);
    expect(first?.spans[0]?.input_messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
    // The exact text is re-parsed: an integer beyond 2^53 is kept digit for digit.
    expect(JSON.stringify(stored.get("chatcmpl-000002"))).toContain(String(BIG_INTEGER));
    const cursor = { after: "chatcmpl-000022" };
    expect(job.result?.sync_cursor).toEqual(cursor);
    expect((await integrationRow(t.db, t.integrationId))?.syncCursor).toEqual(cursor);
    await t.server.close();
  });

  it("continues after the last completion stored: new ones only, nothing on a re-run", async () => {
    const t = await openAISetup(6);
    const first = await t.runImport({ integration_id: t.integrationId });
    expect(first.result).toMatchObject({ imported: 6 });
    const more = generateOpenAIFixture({ completions: 9, createdFrom: 1_746_100_000 });
    for (const completion of more.completions.slice(6)) {
      t.fixture.completions.push(completion);
      t.fixture.messages.set(String(completion.id), more.messages.get(String(completion.id)) ?? []);
    }
    const second = await t.runImport({ integration_id: t.integrationId });
    expect(second.result).toMatchObject({ imported: 3, updated: 0, sync_cursor: { after: "chatcmpl-000008" } });
    expect(listRequests(t.server.requests).at(-1)?.query.get("after")).toBe("chatcmpl-000005");
    const third = await t.runImport({ integration_id: t.integrationId });
    expect(third.result).toMatchObject({ imported: 0, updated: 0 });
    const resync = await t.runImport({ integration_id: t.integrationId, full_resync: true });
    expect(resync.result).toMatchObject({ imported: 0, updated: 9 });
    expect(await storedExternalIds(t.db)).toEqual(t.ids());
    await t.server.close();
  });

  it("stops exactly at the limit and the next sync starts after the last one stored", async () => {
    const t = await openAISetup(12);
    const first = await t.runImport({ integration_id: t.integrationId, page_size: 5, filters: { limit: 7 } });
    expect(first.result).toMatchObject({
      imported: 7,
      limit: 7,
      limit_reached: true,
      sync_cursor: { after: "chatcmpl-000006" },
    });
    const rest = await t.runImport({ integration_id: t.integrationId, page_size: 5 });
    expect(rest.result).toMatchObject({ imported: 5, updated: 0, limit_reached: false });
    expect(await storedExternalIds(t.db)).toEqual(t.ids());
    await t.server.close();
  });

  it("refuses filters the stored-completions list cannot apply", async () => {
    const t = await openAISetup(1);
    const res = await t.post("/api/traces/import", {
      integration_id: t.integrationId,
      filters: { date_from: "2026-05-01", tags: ["x"] },
      import_scores_as_labels: true,
    });
    expect(res.status).toBe(400);
    const body = await readJson(res);
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual([
      "filters.date_from",
      "filters.tags",
      "import_scores_as_labels",
    ]);
    await t.server.close();
  });
});
