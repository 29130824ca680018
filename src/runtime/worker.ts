import { type App, createApp } from "../app";
import { systemClock } from "../clock";
import { parseConfig } from "../config";
import type { Deps } from "../context";
import { createDb } from "../db/client";
import { jobHandlers } from "../job-handlers";
import { consumeJobMessages, type JobMessageBody, type JobQueue, sweepJobs } from "../jobs";
import { createConsoleLogger } from "../logger";
import { scheduleMonitorJobs } from "../monitoring";
import { createSandbox } from "../sandbox";
import { loadQuickJsModuleForWorkerd } from "../sandbox/load-module-workerd";
import { createSecretBox, missingSecretBox } from "../secrets/secret-box";
import { globalFetch } from "../sources";
import { inlineIngestPreparer } from "../traces/prepare-ingest";
import { sha256Hex } from "./sha256";

interface WorkerEnv {
  DB: D1Database;
  JOBS: Queue<JobMessageBody>;
}

/** Queued jobs due for longer than this are re-sent by the cron sweeper: their message was lost. */
const RESEND_OVERDUE_AFTER_MS = 60_000;

const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60; // Cloudflare Queues' limit on delaySeconds

function queueFor(env: WorkerEnv): JobQueue {
  return {
    async enqueue(jobId, options) {
      const delaySeconds = Math.min(MAX_QUEUE_DELAY_SECONDS, Math.ceil((options?.delayMs ?? 0) / 1000));
      await env.JOBS.send({ jobId }, delaySeconds > 0 ? { delaySeconds } : undefined);
    },
  };
}

function stringVars(env: object): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"));
}

// Bindings are fixed for the life of an isolate, so deps and the app are built once per isolate.
let built: { env: WorkerEnv; deps: Deps; app: App } | undefined;

async function build(env: WorkerEnv): Promise<{ deps: Deps; app: App }> {
  if (built?.env === env) {
    return built;
  }
  const config = parseConfig({ AUTH_MODE: "key", ...stringVars(env) });
  const deps: Deps = {
    db: createDb(env.DB),
    clock: systemClock,
    logger: createConsoleLogger(config.logLevel),
    config,
    jobQueue: queueFor(env),
    secrets: config.encryptionKey ? await createSecretBox(config.encryptionKey) : missingSecretBox,
    random: Math.random,
    sandbox: createSandbox({ loadModule: loadQuickJsModuleForWorkerd }),
    sha256Hex,
    prepareIngest: inlineIngestPreparer(sha256Hex),
    outboundFetch: globalFetch,
  };
  built = { env, deps, app: createApp(deps) };
  return built;
}

export default {
  async fetch(request, env, ctx) {
    const { app } = await build(env);
    return app.fetch(request, env, ctx);
  },
  async queue(batch, env) {
    const { deps } = await build(env);
    await consumeJobMessages(deps, jobHandlers, batch.messages);
  },
  async scheduled(_controller, env) {
    const { deps } = await build(env);
    await sweepJobs(deps, { resendOverdueAfterMs: RESEND_OVERDUE_AFTER_MS });
    // Every minute; creates a slot's monitor jobs once (MONITOR_INTERVAL_MS), later calls are no-ops.
    await scheduleMonitorJobs(deps);
  },
} satisfies ExportedHandler<WorkerEnv, JobMessageBody>;
