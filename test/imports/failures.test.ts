import { describe, expect, it } from "vitest";
import type { RecordedRequest } from "../fixtures/servers/http-server";
import { startLangfuseServer } from "../fixtures/servers/langfuse";
import { generateLangfuseFixture } from "../fixtures/servers/langfuse-data";
import { readJson } from "../helpers/app";
import { startGateProxy } from "./gate-proxy";
import { integrationRow, jobRow, logsOf, makeImportApp, retriesOf, storedExternalIds } from "./support";

// Failures of a Langfuse import (30 traces, 9 observations a page: 10 pages of 3 whole traces),
// run by the real job runner with the real handlers.

const V2 = "/api/public/v2/observations";
const laterPage = (req: RecordedRequest) => req.path === V2 && req.query.get("cursor") !== null;

async function setup(options: { secretKey?: string } = {}) {
  const t = await makeImportApp();
  const fixture = generateLangfuseFixture({ traces: 30 });
  const server = await startLangfuseServer({ fixture });
  const apiKey = options.secretKey ? `${server.publicKey}:${options.secretKey}` : server.apiKey;
  const integrationId = await t.createIntegration({ platform: "langfuse", api_key: apiKey, base_url: server.url });
  const allIds = fixture.traces.map((tr) => String(tr.id)).sort();
  return { ...t, server, integrationId, allIds, body: { integration_id: integrationId, page_size: 9 } };
}

const firstPageRequests = (requests: RecordedRequest[]) =>
  requests.filter((r) => r.path === V2 && r.query.get("cursor") === null);

describe("import failures", () => {
  it("honours Retry-After on 429: retried after that delay, resumed from the stored pages, completed", async () => {
    const t = await setup();
    t.server.fail({ kind: "status", status: 429, retryAfter: "42", times: 1, match: laterPage });
    const job = await t.runImport(t.body);
    expect(job.outcomes).toEqual(["retrying", "completed"]);
    const [retry, ...more] = await retriesOf(t.db, job.id);
    expect(more).toEqual([]);
    expect(retry).toMatchObject({
      attempt: 1,
      errorCategory: "transient_rate_limit",
      delayMs: 42_000,
      willRetry: true,
    });
    expect(retry?.error).toContain("429");
    // The page stored before the 429 was not fetched again: the retry resumed from its checkpoint.
    expect(firstPageRequests(t.server.requests)).toHaveLength(1);
    expect(job.result).toMatchObject({ imported: 30, updated: 0, pages: 10 });
    expect(await storedExternalIds(t.db)).toEqual(t.allIds);
    await t.server.close();
  });

  it("retries server errors with backoff and completes", async () => {
    const t = await setup();
    t.server.fail({ kind: "status", status: 500, times: 2, match: laterPage });
    const job = await t.runImport(t.body);
    expect(job.outcomes).toEqual(["retrying", "retrying", "completed"]);
    const retries = await retriesOf(t.db, job.id);
    expect(retries.map((r) => [r.attempt, r.errorCategory, r.delayMs])).toEqual([
      [1, "transient_server", 1_000],
      [2, "transient_server", 2_000],
    ]);
    expect(job.result).toMatchObject({ imported: 30, pages: 10 });
    expect(await storedExternalIds(t.db)).toEqual(t.allIds);
    await t.server.close();
  });

  it("fails permanently on 401 and marks the integration as in error", async () => {
    const t = await setup({ secretKey: "sk-lf-revoked" });
    const job = await t.runImport(t.body);
    expect(job.outcomes).toEqual(["failed"]);
    expect(job).toMatchObject({ status: "failed", errorCategory: "permanent_auth", retryCount: 0 });
    expect(job.error).toContain("Langfuse answered 401");
    expect(job.error).not.toContain("sk-lf-revoked");
    const integration = await integrationRow(t.db, t.integrationId);
    expect(integration?.status).toBe("error");
    expect(integration?.errorMessage).toMatch(/^Import failed: Langfuse answered 401/);
    expect(await storedExternalIds(t.db)).toEqual([]);
    await t.server.close();
  });

  it("stops between pages when cancelled; a manual retry then imports every trace once", async () => {
    const t = await setup();
    let cancelled: Promise<Response> = Promise.reject(new Error("the job was never cancelled"));
    cancelled.catch(() => undefined);
    let jobId = "";
    // The third page request waits until the job is cancelled.
    const proxy = await startGateProxy(t.server.url, {
      hold: (_count, path) => {
        if (!path.startsWith(V2) || t.server.requests.filter((r) => r.path === V2).length !== 2) {
          return undefined;
        }
        cancelled = Promise.resolve(t.post(`/api/jobs/${jobId}/cancel`, undefined));
        return cancelled.then(() => undefined);
      },
    });
    const res = await t.request(`/api/integrations/${t.integrationId}`, {
      method: "PATCH",
      body: { base_url: proxy.url },
    });
    expect(res.status).toBe(200);
    jobId = await t.startImport(t.body);
    expect(await t.settled(jobId)).toEqual(["cancelled"]);
    expect((await readJson(await cancelled)).status).toBe("cancelled");
    expect(t.server.requests.filter((r) => r.path === V2)).toHaveLength(3);
    expect((await jobRow(t.db, jobId)).status).toBe("cancelled");
    expect((await logsOf(t.db, jobId)).at(-1)?.message).toBe("Stopped: the job was cancelled");
    // The page in flight when the cancel came is stored; nothing after it.
    expect(await storedExternalIds(t.db)).toEqual(t.allIds.slice(0, 9));

    expect((await t.post(`/api/jobs/${jobId}/retry`, undefined)).status).toBe(200);
    expect(await t.settled(jobId, 1)).toEqual(["completed"]);
    expect(await storedExternalIds(t.db)).toEqual(t.allIds);
    await proxy.close();
    await t.server.close();
  });
});
