import type { Clock } from "./clock";
import type { AppConfig } from "./config";
import type { Database } from "./db/client";
import type { WorkspaceRole } from "./db/schema/enums";
import type { JobQueue } from "./jobs/queue";
import type { Logger } from "./logger";
import type { Sandbox } from "./sandbox";
import type { SecretBox } from "./secrets/secret-box";
import type { FetchFn } from "./sources";
import type { IngestPreparer } from "./traces/prepare-ingest";

/** What a host hands the app: every outside effect comes in through here. */
export interface Deps {
  db: Database;
  clock: Clock;
  logger: Logger;
  config: AppConfig;
  jobQueue: JobQueue;
  secrets: SecretBox;
  /** Uniform in [0, 1): backoff jitter and sampling. Injected so tests are deterministic. */
  random: () => number;
  /** Runs eval code (QuickJS). One per process on Node, one per isolate on Workers: it holds the WASM module. */
  sandbox: Sandbox;
  /** SHA-256 of bytes as lower-case hex, synchronous (src/runtime/sha256.ts): trace payload hashes. */
  sha256Hex: (bytes: Uint8Array) => string;
  /** Turns pushed bodies (OTLP, uploads) into trace rows: inline, or on a worker thread (Node host). */
  prepareIngest: IngestPreparer;
  /**
   * fetch for calls to user-configured endpoints (integrations). The Node host refuses private
   * addresses at connect time unless ALLOW_PRIVATE_SOURCE_URLS (src/runtime/guarded-fetch.ts).
   */
  outboundFetch: FetchFn;
}

/** Who is calling. Local mode has no credentials and acts as the workspace owner. */
export interface Actor {
  kind: "local" | "api_key";
  role: WorkspaceRole;
  apiKeyId: string | undefined;
}

/** Per-request (or per-job) context every service receives first. */
export interface Ctx {
  db: Database;
  workspaceId: string;
  actor: Actor;
  requestId: string;
  deps: Deps;
}
