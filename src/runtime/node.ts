import { serve } from "@hono/node-server";
import { createApp } from "../app";
import { systemClock } from "../clock";
import { ConfigError, parseConfig } from "../config";
import type { Deps } from "../context";
import { createConsoleLogger } from "../logger";
import { createSecretBox } from "../secrets/secret-box";
import { resolveEncryptionKey } from "./encryption-key";
import { openNodeDatabase } from "./node-database";

/** The embedded host: one Node process, one SQLite file (or a libsql:// URL), in-process jobs. */
async function main(): Promise<void> {
  const config = parseConfig(process.env);
  const logger = createConsoleLogger(config.logLevel);
  const { db, client } = await openNodeDatabase(config.databaseUrl, config.databaseAuthToken);
  const deps: Deps = {
    db,
    clock: systemClock,
    logger,
    config,
    jobQueue: { enqueue: async () => {} },
    secrets: await createSecretBox(resolveEncryptionKey(config)),
    random: Math.random,
  };
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
    server.close(() => {
      client.close();
      process.exit(0);
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
