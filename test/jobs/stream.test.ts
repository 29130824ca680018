import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { readJson } from "../helpers/app";
import { makeJobsApp } from "./support";

interface SseEvent {
  event: string;
  data: any;
  id?: string;
}

/** Splits an event stream into events; comments (heartbeats) come back as `{ event: "comment" }`. */
function parseSse(text: string): SseEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const fields = new Map<string, string>();
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) {
          return { event: "comment", data: line.slice(1).trim() };
        }
        const at = line.indexOf(": ");
        fields.set(line.slice(0, at), line.slice(at + 2));
      }
      return {
        event: fields.get("event") ?? "message",
        data: JSON.parse(fields.get("data") ?? "null"),
        id: fields.get("id"),
      };
    });
}

async function runToEnd(app: Awaited<ReturnType<typeof makeJobsApp>>, body: Record<string, unknown>) {
  const id = (await readJson(await app.request("/api/jobs/diagnostic", { method: "POST", body }))).job_id as string;
  for (;;) {
    const job = await readJson(await app.request(`/api/jobs/${id}`));
    if (["completed", "failed", "cancelled"].includes(job.status)) {
      return id;
    }
    await nextTurn();
  }
}

describe("GET /api/jobs/:id/stream", () => {
  it("replays the logs of a finished job, then its progress and a completed event, and ends", async () => {
    const app = await makeJobsApp();
    const id = await runToEnd(app, { units: 2 });
    const res = await app.request(`/api/jobs/${id}/stream`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual(["log", "log", "progress", "completed"]);
    expect(events[0]).toMatchObject({ id: "1", data: { id: 1, level: "info", message: "Unit 1/2 done" } });
    expect(events[2]?.data).toEqual({ status: "completed", progress: 100 });
    expect(events[3]?.data).toEqual({ status: "completed", result: { units_done: 2, attempts: 1 } });
  });

  it("replays only lines after ?after_log_id= on reconnect", async () => {
    const app = await makeJobsApp();
    const id = await runToEnd(app, { units: 3 });
    const events = parseSse(await (await app.request(`/api/jobs/${id}/stream?after_log_id=2`)).text());
    expect(events.filter((e) => e.event === "log").map((e) => e.data.message)).toEqual(["Unit 3/3 done"]);
  });

  it("ends a failed job with a failed event carrying the error", async () => {
    const app = await makeJobsApp();
    const id = await runToEnd(app, { fail_permanently: true });
    const events = parseSse(await (await app.request(`/api/jobs/${id}/stream`)).text());
    expect(events.at(-1)).toEqual({
      event: "failed",
      data: {
        status: "failed",
        error: "Diagnostic job asked to fail permanently",
        error_category: "permanent_validation",
      },
      id: undefined,
    });
  });

  it("streams a running job's logs as they are written and ends when it completes", async () => {
    const app = await makeJobsApp();
    const created = await readJson(
      await app.request("/api/jobs/diagnostic", { method: "POST", body: { units: 5, unit_delay_ms: 1_000 } }),
    );
    const events = parseSse(await (await app.request(`/api/jobs/${created.job_id}/stream`)).text());
    const logs = events.filter((e) => e.event === "log").map((e) => e.data.message);
    expect(logs).toEqual([1, 2, 3, 4, 5].map((u) => `Unit ${u}/5 done`));
    expect(events.filter((e) => e.event === "progress").at(-1)?.data).toEqual({ status: "completed", progress: 100 });
    expect(events.at(-1)?.event).toBe("completed");
  });

  it("follows a live job: heartbeats while it waits, then progress until it is cancelled", async () => {
    const app = await makeJobsApp();
    await app.runner.stop(0);
    const created = await readJson(await app.request("/api/jobs/diagnostic", { method: "POST", body: {} }));
    const res = await app.request(`/api/jobs/${created.job_id}/stream`);
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes(": ping")) {
      const chunk = await reader.read();
      text += chunk.value ?? "";
    }
    await app.request(`/api/jobs/${created.job_id}/cancel`, { method: "POST" });
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += chunk.value;
    }
    const events = parseSse(text);
    expect(events[0]).toEqual({ event: "progress", data: { status: "queued", progress: 0 }, id: undefined });
    expect(events.some((e) => e.event === "comment" && e.data === "ping")).toBe(true);
    expect(events.slice(-2).map((e) => e.event)).toEqual(["progress", "cancelled"]);
  });
});
