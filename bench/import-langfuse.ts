import { benchDeps } from "./lib/deps";
// Pull import of 10,000 Langfuse traces (4 observations each) from the local Langfuse-speaking
// fixture server, through the real `import` job (HTTP client, v2 paging, adapter, storeTraces,
// per-page checkpoints) run by the Node JobRunner on a file database. The fake server runs in the
// same process, so its JSON encoding shares the two cores with the importer.

import { setImmediate as nextTurn } from "node:timers/promises";
import { count } from "drizzle-orm";
import { DEFAULT_WORKSPACE_ID, ensureWorkspace } from "../src/auth/resolve";
import { parseConfig } from "../src/config";
import type { Ctx } from "../src/context";
import { traces } from "../src/db/schema";
import { startTraceImport } from "../src/imports";
import { createIntegration } from "../src/integrations";
import { jobHandlers } from "../src/job-handlers";
import { type JobOutcome, JobRunner, LocalJobQueue } from "../src/jobs";
import { createSecretBox } from "../src/secrets/secret-box";
import { startLangfuseServer } from "../test/fixtures/servers/langfuse";
import { generateLangfuseFixture } from "../test/fixtures/servers/langfuse-data";
import { openBenchDb } from "./lib/file-db";
import { report, round } from "./lib/measure";

const TRACES = 10_000;
const OBSERVATIONS_PER_TRACE = 4;

async function main(): Promise<void> {
  const fixture = generateLangfuseFixture({ traces: TRACES, observationsPerTrace: OBSERVATIONS_PER_TRACE });
  const server = await startLangfuseServer({ fixture });
  const { db, dispose } = await openBenchDb();
  const queue = new LocalJobQueue();
  const deps = benchDeps(db, {
    config: parseConfig({}),
    jobQueue: queue,
    secrets: await createSecretBox("bench-encryption-key-0123456789abcdef"),
  });
  let settle: (outcome: JobOutcome) => void = () => {};
  const settled = new Promise<JobOutcome>((resolve) => {
    settle = resolve;
  });
  const runner = new JobRunner(deps, {
    handlers: jobHandlers,
    sweep: false,
    yieldToEventLoop: () => nextTurn(),
    onSettled: (_job, outcome) => settle(outcome),
  });
  queue.attach(runner);
  runner.start();
  await ensureWorkspace(db, DEFAULT_WORKSPACE_ID);
  const actor = { kind: "local" as const, role: "owner" as const, apiKeyId: undefined };
  const ctx: Ctx = { db, workspaceId: DEFAULT_WORKSPACE_ID, actor, requestId: "bench", deps };
  const integration = await createIntegration(ctx, {
    platform: "langfuse",
    name: "bench",
    apiKey: server.apiKey,
    baseUrl: server.url,
  });

  const started = performance.now();
  const job = await startTraceImport(ctx, { integrationId: integration.id });
  const outcome = await settled;
  const seconds = (performance.now() - started) / 1000;
  await runner.stop(0);
  const [stored] = await db.select({ n: count() }).from(traces);
  if (outcome !== "completed" || stored?.n !== TRACES) {
    throw new Error(`import ${job.id} ended ${outcome} with ${stored?.n} traces`);
  }
  const pages = server.requests.filter((r) => r.path === "/api/public/v2/observations").length;
  report({
    name: "import-langfuse",
    traces: TRACES,
    observations: TRACES * OBSERVATIONS_PER_TRACE,
    pages,
    seconds: round(seconds, 2),
    traces_per_sec: Math.round(TRACES / seconds),
  });
  dispose();
  await server.close();
}

await main();
