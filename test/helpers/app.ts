import { expect } from "vitest";
import { createApp } from "../../src/app";
import { type AppConfig, parseConfig } from "../../src/config";
import type { Deps } from "../../src/context";
import type { JobQueue } from "../../src/jobs/queue";
import { silentLogger } from "../../src/logger";
import { sha256Hex } from "../../src/runtime/sha256";
import { createSandbox, type Sandbox } from "../../src/sandbox";
import { loadQuickJsModuleForNode } from "../../src/sandbox/load-module-node";
import { createSecretBox } from "../../src/secrets/secret-box";
import { globalFetch } from "../../src/sources";
import { type IngestPreparer, inlineIngestPreparer } from "../../src/traces/prepare-ingest";
import { createFakeClock, type FakeClock } from "./clock";
import { createTestDb } from "./db";

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Raw body, sent as is (for malformed-input tests). */
  rawBody?: BodyInit;
  headers?: Record<string, string>;
  /** Local mode: the `X-Workspace-Id` header. */
  workspace?: string;
  /** Key mode: sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
}

export interface TestAppOverrides {
  config?: Partial<AppConfig>;
  env?: Record<string, string>;
  jobQueue?: JobQueue;
  random?: () => number;
  sandbox?: Sandbox;
  prepareIngest?: IngestPreparer;
}

/** Records what was enqueued, for tests that drive runners by hand. */
export function createRecordingQueue(): JobQueue & { sent: { jobId: string; delayMs: number }[] } {
  const sent: { jobId: string; delayMs: number }[] = [];
  return {
    sent,
    enqueue: async (jobId, options) => {
      sent.push({ jobId, delayMs: options?.delayMs ?? 0 });
    },
  };
}

/** The real app on a fresh migrated database, called in-process through `app.request()`. */
export async function makeTestApp(overrides: TestAppOverrides = {}) {
  const { db, client } = await createTestDb();
  const clock: FakeClock = createFakeClock();
  const config: AppConfig = {
    ...parseConfig({ AUTH_MODE: "local", ...overrides.env }),
    ...overrides.config,
  };
  const deps: Deps = {
    db,
    clock,
    logger: silentLogger,
    config,
    jobQueue: overrides.jobQueue ?? createRecordingQueue(),
    secrets: await createSecretBox("test-encryption-key-0123456789abcdef"),
    random: overrides.random ?? (() => 0.5),
    // Loads its WASM module lazily, so apps that never run an eval pay nothing.
    sandbox: overrides.sandbox ?? createSandbox({ loadModule: loadQuickJsModuleForNode }),
    sha256Hex,
    prepareIngest: overrides.prepareIngest ?? inlineIngestPreparer(sha256Hex),
    outboundFetch: globalFetch,
  };
  const app = createApp(deps);
  const request = (path: string, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.workspace) {
      headers["X-Workspace-Id"] = options.workspace;
    }
    if (options.apiKey) {
      headers.Authorization = `Bearer ${options.apiKey}`;
    }
    let body = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["Content-Type"] ??= "application/json";
    }
    return app.request(path, { method: options.method ?? "GET", headers, body });
  };
  return { app, db, client, deps, clock, request };
}

export type TestApp = Awaited<ReturnType<typeof makeTestApp>>;

/** Parsed JSON body; tests assert on shapes, so `any` keeps them short. */
export async function readJson(res: Response): Promise<any> {
  return res.json();
}

/** Asserts the error envelope's status and code; returns the parsed body for further checks. */
export async function expectError(res: Response | Promise<Response>, status: number, code: string): Promise<any> {
  const r = await res;
  expect(r.status).toBe(status);
  const body = await readJson(r);
  expect(body.error.code).toBe(code);
  return body;
}
