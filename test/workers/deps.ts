import { env } from "cloudflare:workers";
import { systemClock } from "../../src/clock";
import { parseConfig } from "../../src/config";
import type { Deps } from "../../src/context";
import { createDb } from "../../src/db/client";
import { silentLogger } from "../../src/logger";
import { sha256Hex } from "../../src/runtime/sha256";
import { createSandbox } from "../../src/sandbox";
import { loadQuickJsModuleForWorkerd } from "../../src/sandbox/load-module-workerd";
import { missingSecretBox } from "../../src/secrets/secret-box";
import { globalFetch } from "../../src/sources";
import { inlineIngestPreparer } from "../../src/traces/prepare-ingest";

/** Deps over the test D1 binding, for tests that call services directly inside workerd. */
export function workerTestDeps(): Deps {
  return {
    db: createDb(env.DB),
    clock: systemClock,
    logger: silentLogger,
    config: parseConfig({ AUTH_MODE: "local" }),
    jobQueue: { enqueue: async () => undefined },
    secrets: missingSecretBox,
    random: Math.random,
    sandbox: createSandbox({ loadModule: loadQuickJsModuleForWorkerd }),
    sha256Hex,
    prepareIngest: inlineIngestPreparer(sha256Hex),
    outboundFetch: globalFetch,
  };
}
