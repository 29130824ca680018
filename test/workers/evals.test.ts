import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { EvalExecutionPage, ExecuteEvalResponse } from "../../src/api/evals/execution.schemas";
import { EvalSchema } from "../../src/api/evals/schemas";
import { JobSchema } from "../../src/api/jobs.schemas";
import { createDb } from "../../src/db/client";
import { newId } from "../../src/db/ids";
import { traces, workspaces } from "../../src/db/schema";

// An execute job end to end on the Worker: HTTP → D1 → the real Queue → the Worker's queue()
// consumer → the workerd sandbox → D1, observed through the API.

const db = createDb(env.DB);

async function call(ws: string, path: string, init: { method?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = { "X-Workspace-Id": ws };
  if (init.body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  return exports.default.fetch(
    new Request(`http://iofold.test${path}`, { method: init.method ?? "GET", headers, body }),
  );
}

/**
 * A workspace, an agent with an active version, and one trace per answer assigned to it. Trace rows
 * are written directly: `storeTraces` does not run on D1 yet (Drizzle's D1 batch cannot bind its raw
 * chunk statements); a row without a payload still has a view, built from its columns.
 */
async function agentWithTraces(answers: string[]) {
  const ws = newId("workspace");
  await db.insert(workspaces).values({ id: ws, name: "d1 evals" });
  const agent = (await (await call(ws, "/api/agents", { method: "POST", body: { name: "Support" } })).json()) as {
    id: string;
  };
  const template = "You are a helpful assistant for {{company}}.";
  const version = await call(ws, `/api/agents/${agent.id}/versions`, {
    method: "POST",
    body: { prompt_template: template },
  });
  const { id: versionId } = (await version.json()) as { id: string };
  const traceIds = answers.map(() => newId("trace"));
  for (const [i, id] of traceIds.entries()) {
    await db.insert(traces).values({
      id,
      workspaceId: ws,
      source: "api",
      externalId: id,
      outputPreview: answers[i],
      agentVersionId: versionId,
      assignmentStatus: "assigned",
    });
  }
  return { ws, agentId: agent.id, traceIds };
}

async function finishedJob(ws: string, jobId: string) {
  for (let i = 0; i < 600; i++) {
    const job = JobSchema.parse(await (await call(ws, `/api/jobs/${jobId}`)).json());
    if (["completed", "failed", "cancelled"].includes(job.status)) {
      return job;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`job ${jobId} did not finish`);
}

async function createAndExecute(ws: string, agentId: string, code: string, body: Record<string, unknown>) {
  const created = await call(ws, "/api/evals", { method: "POST", body: { agent_id: agentId, name: "e", code } });
  expect(created.status).toBe(201);
  const evalRow = EvalSchema.parse(await created.json());
  const started = await call(ws, `/api/evals/${evalRow.id}/execute`, { method: "POST", body });
  expect(started.status).toBe(202);
  const { job_id } = ExecuteEvalResponse.parse(await started.json());
  return { evalId: evalRow.id, job: await finishedJob(ws, job_id) };
}

describe("eval execution on the Worker", { timeout: 60_000 }, () => {
  it("runs an execute job through the Queue with the workerd sandbox and stores predictions", async () => {
    const answers = Array.from({ length: 240 }, (_, i) => (i % 3 === 0 ? "I cannot help." : "Open Settings."));
    const { ws, agentId } = await agentWithTraces(answers);
    const code = "function evaluate(trace) { return { pass: /settings/i.test(String(trace.output)), reason: 'r' }; }";
    const { evalId, job } = await createAndExecute(ws, agentId, code, { target: "all" });
    expect(job.status).toBe("completed");
    expect(job.result).toMatchObject({ total: 240, executed: 240, passed: 160, failed: 80, errors: 0 });
    const evalRow = EvalSchema.parse(await (await call(ws, `/api/evals/${evalId}`)).json());
    expect(evalRow).toMatchObject({ execution_count: 240, error_count: 0 });
    const failed = EvalExecutionPage.parse(
      await (await call(ws, `/api/evals/${evalId}/executions?result=false&limit=200`)).json(),
    );
    expect(failed.executions).toHaveLength(80);
  });

  it("stores a hostile eval's failures and completes the job", async () => {
    const { ws, agentId, traceIds } = await agentWithTraces(["a", "b"]);
    const code = "function evaluate(trace) { while (true) {} }";
    const { evalId, job } = await createAndExecute(ws, agentId, code, { trace_ids: traceIds });
    expect(job.status).toBe("completed");
    expect(job.result).toMatchObject({ executed: 2, errors: 2 });
    const page = EvalExecutionPage.parse(await (await call(ws, `/api/evals/${evalId}/executions`)).json());
    expect(page.executions.map((e) => e.error_kind)).toEqual(["timeout", "timeout"]);
  });
});
