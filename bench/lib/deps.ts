import { systemClock } from "../../src/clock";
import { parseConfig } from "../../src/config";
import type { Deps } from "../../src/context";
import type { Database } from "../../src/db/client";
import { silentLogger } from "../../src/logger";
import { sha256Hex } from "../../src/runtime/sha256";
import { createSandbox } from "../../src/sandbox";
import { loadQuickJsModuleForNode } from "../../src/sandbox/load-module-node";
import { missingSecretBox } from "../../src/secrets/secret-box";
import { globalFetch } from "../../src/sources";
import { inlineIngestPreparer } from "../../src/traces/prepare-ingest";

/** Deps as the Node host builds them, minus logging and secrets, for benchmarks that call the app or services. */
export function benchDeps(db: Database, overrides: Partial<Deps> = {}): Deps {
  return {
    db,
    clock: systemClock,
    logger: silentLogger,
    config: parseConfig({ AUTH_MODE: "local" }),
    jobQueue: { enqueue: async () => undefined },
    secrets: missingSecretBox,
    random: Math.random,
    sandbox: createSandbox({ loadModule: loadQuickJsModuleForNode }),
    sha256Hex,
    prepareIngest: inlineIngestPreparer(sha256Hex),
    outboundFetch: globalFetch,
    ...overrides,
  };
}
