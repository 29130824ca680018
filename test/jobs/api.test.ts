import { describe, expect, it } from "vitest";
import { JobRetriesBody, JobSchema, JobsPageSchema } from "../../src/api/jobs.schemas";
import { createRecordingQueue, expectError, makeTestApp, readJson } from "../helpers/app";

/** The API with a recording queue and no runner: jobs stay where the test puts them. */
async function setup() {
  const queue = createRecordingQueue();
  const app = await makeTestApp({ jobQueue: queue });
  const start = async (body: Record<string, unknown> = {}, workspace?: string) => {
    app.clock.advance(1);
    const res = await app.request("/api/jobs/diagnostic", { method: "POST", body, workspace });
    expect(res.status).toBe(202);
    return (await readJson(res)).job_id as string;
  };
  return { ...app, queue, start };
}

describe("POST /api/jobs/diagnostic", () => {
  it("queues a job with the payload's defaults and enqueues it once", async () => {
    const { request, queue, start } = await setup();
    const id = await start();
    expect(queue.sent).toEqual([{ jobId: id, delayMs: 0 }]);
    const job = JobSchema.parse(await readJson(await request(`/api/jobs/${id}`)));
    expect(job).toMatchObject({
      id,
      workspace_id: "workspace_default",
      type: "diagnostic",
      status: "queued",
      progress: 0,
      metadata: { units: 1, unit_delay_ms: 0, fail_attempts: 0, fail_permanently: false },
      result: null,
      error: null,
      retry_count: 0,
      max_retries: 5,
      error_category: null,
      next_retry_at: null,
      started_at: null,
      completed_at: null,
    });
  });

  it("rejects out-of-range knobs with 400", async () => {
    const { request } = await setup();
    for (const body of [{ units: 0 }, { units: 1001 }, { unit_delay_ms: -1 }, { fail_attempts: 11 }, { units: "2" }]) {
      await expectError(request("/api/jobs/diagnostic", { method: "POST", body }), 400, "VALIDATION_ERROR");
    }
    await expectError(
      request("/api/jobs/diagnostic", {
        method: "POST",
        rawBody: "{",
        headers: { "Content-Type": "application/json" },
      }),
      400,
      "VALIDATION_ERROR",
    );
  });
});

describe("GET /api/jobs", () => {
  it("pages newest first with an opaque cursor until has_more is false", async () => {
    const { request, start } = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await start());
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = JobsPageSchema.parse(await readJson(await request(`/api/jobs?limit=2${query}`)));
      seen.push(...page.jobs.map((j) => j.id));
      expect(page.has_more).toBe(page.next_cursor !== null);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });

  it("filters by status and type", async () => {
    const { request, start } = await setup();
    const queued = await start();
    const cancelled = await start();
    await request(`/api/jobs/${cancelled}/cancel`, { method: "POST" });
    const list = async (q: string) => (await readJson(await request(`/api/jobs?${q}`))).jobs.map((j: any) => j.id);
    expect(await list("status=queued")).toEqual([queued]);
    expect(await list("status=cancelled&type=diagnostic")).toEqual([cancelled]);
    expect(await list("type=import")).toEqual([]);
  });

  it("lists only the caller's workspace", async () => {
    const { request, start } = await setup();
    const mine = await start({}, "ws_mine");
    await start({}, "ws_theirs");
    const body = await readJson(await request("/api/jobs", { workspace: "ws_mine" }));
    expect(body.jobs.map((j: any) => j.id)).toEqual([mine]);
  });

  it("answers bad filters and bad cursors with 400", async () => {
    const { request } = await setup();
    for (const q of ["status=done", "type=nope", "limit=0", "limit=201", "limit=x", "cursor=%%%", "cursor=e30"]) {
      await expectError(request(`/api/jobs?${q}`), 400, "VALIDATION_ERROR");
    }
  });

  it("is also served under the /v1 prefix", async () => {
    const { request, start } = await setup();
    const id = await start();
    expect((await readJson(await request("/v1/api/jobs"))).jobs[0].id).toBe(id);
  });
});

describe("job actions", () => {
  it("cancels a queued job once; a second cancel is INVALID_STATE", async () => {
    const { request, start } = await setup();
    const id = await start();
    const res = await request(`/api/jobs/${id}/cancel`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual({ id, status: "cancelled" });
    const job = JobSchema.parse(await readJson(await request(`/api/jobs/${id}`)));
    expect(job.completed_at).not.toBeNull();
    await expectError(request(`/api/jobs/${id}/cancel`, { method: "POST" }), 400, "INVALID_STATE");
  });

  it("retries only failed or cancelled jobs, and really enqueues them", async () => {
    const { request, start, queue } = await setup();
    const id = await start();
    await expectError(request(`/api/jobs/${id}/retry`, { method: "POST" }), 400, "INVALID_STATE");
    await request(`/api/jobs/${id}/cancel`, { method: "POST" });
    const res = await request(`/api/jobs/${id}/retry`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(JobSchema.parse(await readJson(res))).toMatchObject({ id, status: "queued", completed_at: null });
    expect(queue.sent.map((m) => m.jobId)).toEqual([id, id]);
  });

  it("reports an empty retry history for a job that never failed", async () => {
    const { request, start } = await setup();
    const id = await start();
    const body = JobRetriesBody.parse(await readJson(await request(`/api/jobs/${id}/retries`)));
    expect(body).toEqual({ job_id: id, total_attempts: 0, retries: [] });
  });

  it("answers 404 for unknown ids and for another workspace's job, 400 for malformed ids", async () => {
    const { request, start } = await setup();
    const theirs = await start({}, "ws_theirs");
    const paths = (id: string) => [
      ["GET", `/api/jobs/${id}`],
      ["POST", `/api/jobs/${id}/cancel`],
      ["POST", `/api/jobs/${id}/retry`],
      ["GET", `/api/jobs/${id}/retries`],
      ["GET", `/api/jobs/${id}/stream`],
    ];
    for (const id of ["job_unknown", theirs]) {
      for (const [method, path] of paths(id)) {
        await expectError(request(path as string, { method, workspace: "ws_mine" }), 404, "NOT_FOUND");
      }
    }
    for (const [method, path] of paths("not an id")) {
      await expectError(request(path as string, { method }), 400, "VALIDATION_ERROR");
    }
    await expectError(request(`/api/jobs/${theirs}/stream?after_log_id=-1`), 400, "VALIDATION_ERROR");
  });

  it("documents every jobs route in the OpenAPI document", async () => {
    const { request } = await setup();
    const doc = await readJson(await request("/openapi.json"));
    for (const path of ["/api/jobs", "/api/jobs/{id}", "/api/jobs/{id}/cancel", "/api/jobs/{id}/retry"]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(doc.paths["/api/jobs/{id}/stream"].get.operationId).toBe("openJobStream");
    expect(doc.paths["/api/jobs/diagnostic"].post.operationId).toBe("startDiagnosticJob");
    expect(doc.components.schemas.Job).toBeDefined();
  });
});
