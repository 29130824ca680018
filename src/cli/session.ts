import { createClient } from "@libsql/client";
import { systemClock } from "../clock";
import { parseConfig } from "../config";
import type { Actor, Ctx, Deps } from "../context";
import { createLibsqlDb, type Database } from "../db/client";
import { silentLogger } from "../logger";
import { openNodeDatabase } from "../runtime/node-database";
import { sha256Hex } from "../runtime/sha256";
import { createSandbox } from "../sandbox";
import { loadQuickJsModuleForNode } from "../sandbox/load-module-node";
import { missingSecretBox } from "../secrets/secret-box";
import { globalFetch } from "../sources";
import { inlineIngestPreparer } from "../traces/prepare-ingest";
import type { UnscopedCtx } from "../workspaces";

/** Whoever runs the CLI has the database itself, so acts as owner everywhere (like local mode). */
const OPERATOR: Actor = { kind: "local", role: "owner", apiKeyId: undefined };

export interface CliSession {
  deps: Deps;
  operator: UnscopedCtx;
  inWorkspace(workspaceId: string): Ctx;
  close(): void;
}

function sessionOver(db: Database, env: Record<string, string | undefined>, close: () => void): CliSession {
  const deps: Deps = {
    db,
    clock: systemClock,
    logger: silentLogger,
    config: parseConfig(env),
    jobQueue: { enqueue: async () => {} },
    secrets: missingSecretBox,
    random: Math.random,
    sandbox: createSandbox({ loadModule: loadQuickJsModuleForNode }),
    sha256Hex,
    prepareIngest: inlineIngestPreparer(sha256Hex),
    outboundFetch: globalFetch,
  };
  return {
    deps,
    operator: { db, actor: OPERATOR, deps },
    inWorkspace: (workspaceId) => ({ db, workspaceId, actor: OPERATOR, requestId: "cli", deps }),
    close,
  };
}

/** The Node host's database (DATABASE_URL, migrated on open, exactly as `npm start` opens it). */
export async function openDatabaseSession(env: Record<string, string | undefined>): Promise<CliSession> {
  const config = parseConfig(env);
  const { db, client } = await openNodeDatabase(config.databaseUrl, config.databaseAuthToken);
  return sessionOver(db, env, () => client.close());
}

/**
 * For `--sql`: statements are only built and printed, never run, so an empty in-memory
 * database stands in and nothing local is created or touched.
 */
export function openSqlOnlySession(env: Record<string, string | undefined>): CliSession {
  const client = createClient({ url: ":memory:" });
  return sessionOver(createLibsqlDb(client), env, () => client.close());
}
