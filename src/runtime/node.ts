import { serve } from "@hono/node-server";
import { createApp } from "../app";
import { systemClock } from "../clock";
import { ConfigError, parseConfig } from "../config";
import type { Deps } from "../context";
import { jobHandlers } from "../job-handlers";
import { JobRunner, LocalJobQueue } from "../jobs";
import { createConsoleLogger } from "../logger";
import { MonitorScheduler } from "../monitoring";
import { createSecretBox } from "../secrets/secret-box";
import { globalFetch } from "../sources";
import { resolveEncryptionKey } from "./encryption-key";
import { createGuardedFetch } from "./guarded-fetch";
import { createIngestThreadPool } from "./ingest-threads";
import { openNodeDatabase } from "./node-database";
import { createThreadedSandbox } from "./sandbox-threads";
import { sha256Hex } from "./sha256";

/** How long SIGTERM waits for running jobs before handing them back to the queue. */
const SHUTDOWN_GRACE_MS = 10_000;

/** The embedded host: one Node process, one SQLite file (or a libsql:// URL), in-process jobs. */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = createConsoleLogger(config.logLevel);
  const { db, client } = await openNodeDatabase(config.databaseUrl, config.databaseAuthToken);
  const jobQueue = new LocalJobQueue();
  // Evals run in worker threads the host can stop: work inside one QuickJS builtin call never reaches
  // the tick budget and would otherwise block this process's event loop (src/sandbox/README.md).
  const sandbox = createThreadedSandbox();
  await sandbox.ready();
  // Pushed bodies (OTLP, uploads) are decoded on a worker thread while this one writes what is ready.
  const ingestThreads = createIngestThreadPool();
  await ingestThreads.ready();
  const deps: Deps = {
    db,
    clock: systemClock,
    logger,
    config,
    jobQueue,
    secrets: await createSecretBox(resolveEncryptionKey(config)),
    random: Math.random,
    sandbox,
    sha256Hex,
    prepareIngest: ingestThreads.prepare,
    // Integrations are user-configured URLs: unless allowed, refuse private addresses after DNS too.
    outboundFetch: config.allowPrivateSourceUrls ? globalFetch : createGuardedFetch(),
  };
  const runner = new JobRunner(deps, { handlers: jobHandlers });
  jobQueue.attach(runner);
  runner.start();
  const monitor = new MonitorScheduler(deps);
  monitor.start();
  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info("server.listening", { url: `http://${config.host}:${info.port}`, auth_mode: config.authMode });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    logger.info("server.stopping", { signal });
    void monitor.stop(); // never rejects; an in-flight scheduling pass ends within the runner's grace
    // Jobs first: stop claiming, let running ones finish within the grace, re-queue the rest.
    runner
      .stop(SHUTDOWN_GRACE_MS)
      .catch((err: unknown) => logger.error("job.stop_failed", { error: String(err) }))
      .then(() => sandbox.close())
      .catch((err: unknown) => logger.error("sandbox.close_failed", { error: String(err) }))
      .finally(() => {
        server.close(() => {
          void ingestThreads.close().finally(() => {
            client.close();
            process.exit(0);
          });
        });
        // Open SSE streams would hold the server open; they end at the latest here.
        setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`iofold failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
