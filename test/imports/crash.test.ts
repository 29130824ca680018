import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { LEASE_EXPIRED_ERROR } from "../../src/jobs/sweeper";
import { startLangfuseServer } from "../fixtures/servers/langfuse";
import { generateLangfuseFixture } from "../fixtures/servers/langfuse-data";
import { startGateProxy } from "./gate-proxy";

// The Node host as a real child process (tsx src/runtime/node.ts) on a temp file database, importing
// from a slow local Langfuse. It is SIGKILLed while an import is mid-walk, then started again: the
// sweeper re-queues the expired lease and the job resumes from its last stored page.

const ROOT = join(import.meta.dirname, "../..");
const TRACES = 240;
const PAGE_SIZE = 30; // observations: 24 pages, most of them cutting a trace in two
const KILL_AT_REQUEST = 8; // pages 1-7 are stored and checkpointed when page 8 is asked for

const dir = mkdtempSync(join(tmpdir(), "iofold-crash-"));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) {
    killGroup(child);
  }
  rmSync(dir, { recursive: true, force: true });
});

/** tsx runs the host in a process of its own: the whole group goes, as a crash would take it. */
function killGroup(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") {
    throw new Error("no port");
  }
  return address.port;
}

/** Starts the host and resolves once it listens. */
function startHost(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(join(ROOT, "node_modules/.bin/tsx"), ["src/runtime/node.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('"server.listening"')) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`host exited (${code}) before listening:\n${output}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once("exit", () => resolve());
    }
  });
}

const hostEnv = (port: number) => ({
  DATABASE_URL: `file:${join(dir, "crash.db")}`,
  PORT: String(port),
  HOST: "127.0.0.1",
  AUTH_MODE: "local",
  ENCRYPTION_KEY: "crash-test-encryption-key-0123456789abcdef",
  // Small leases and sweeps, so the restarted host re-queues the dead host's job quickly.
  JOB_LEASE_MS: "1500",
  SWEEP_INTERVAL_MS: "1000",
  JOB_POLL_INTERVAL_MS: "50",
  LOG_LEVEL: "info",
});

async function postJson(base: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** A slow proxy to the source that SIGKILLs the host when it asks for page KILL_AT_REQUEST. */
async function killingProxy(target: string, host: () => ChildProcess | undefined) {
  let pageRequests = 0;
  let killed: Promise<void> = Promise.resolve();
  const proxy = await startGateProxy(target, {
    delayMs: 20,
    hold: (_count, path) => {
      const child = host();
      if (!path.startsWith("/api/public/v2/observations") || ++pageRequests !== KILL_AT_REQUEST || !child) {
        return undefined;
      }
      // Killed while the job waits on this page; the answer goes nowhere.
      killGroup(child);
      killed = exited(child);
      return killed;
    },
  });
  return { proxy, killed: () => killed };
}

async function jobOf(db: Client, jobId: string) {
  const [row] = (await db.execute({ sql: "select status, result from jobs where id = ?", args: [jobId] })).rows;
  return { status: row?.status, result: JSON.parse(String(row?.result ?? "null")) as Record<string, number> | null };
}

const scalar = async (db: Client, sql: string) => Number((await db.execute(sql)).rows[0]?.[0]);

describe("an import interrupted by a crash of the Node host", () => {
  it("finishes after a restart with exactly the source's traces, once each", { timeout: 120_000 }, async () => {
    const fixture = generateLangfuseFixture({ traces: TRACES });
    const server = await startLangfuseServer({ fixture });
    let host: ChildProcess | undefined;
    const { proxy, killed } = await killingProxy(server.url, () => host);
    const env = hostEnv(await freePort());
    const base = `http://127.0.0.1:${env.PORT}`;

    host = await startHost(env);
    const integration = await postJson(base, "/api/integrations", {
      platform: "langfuse",
      name: "slow langfuse",
      api_key: server.apiKey,
      base_url: proxy.url,
    });
    const started = await postJson(base, "/api/traces/import", {
      integration_id: integration.id,
      page_size: PAGE_SIZE,
    });
    const jobId = String(started.job_id);
    await exited(host);
    await killed();

    const db = createClient({ url: env.DATABASE_URL });
    const before = await jobOf(db, jobId);
    expect(before.status).toBe("running");
    expect(before.result?.pages).toBe(KILL_AT_REQUEST - 1);
    const storedBefore = await scalar(db, "select count(*) from traces");
    expect(storedBefore).toBeGreaterThan(0);
    expect(storedBefore).toBeLessThan(TRACES);

    host = await startHost(env);
    // The event stream ends with the job's final event.
    expect(await (await fetch(`${base}/api/jobs/${jobId}/stream`)).text()).toContain("event: completed");
    killGroup(host);
    await exited(host);

    const rows = (await db.execute("select external_id, span_count from traces order by external_id")).rows;
    expect(rows.map((r) => String(r.external_id))).toEqual(fixture.traces.map((t) => String(t.id)).sort());
    expect(await scalar(db, "select count(distinct external_id) from traces")).toBe(TRACES);
    expect(rows.every((r) => Number(r.span_count) === 3)).toBe(true);
    const retries = await db.execute({ sql: "select error from job_retry_history where job_id = ?", args: [jobId] });
    expect(retries.rows.map((r) => String(r.error))).toContain(LEASE_EXPIRED_ERROR);
    // Resumed from the checkpoint: the first page was asked for once, not again after the restart.
    const firstPages = server.requests.filter(
      (r) => r.path === "/api/public/v2/observations" && r.query.get("cursor") === null,
    );
    expect(firstPages).toHaveLength(1);
    const after = await jobOf(db, jobId);
    expect(after.status).toBe("completed");
    expect(after.result?.imported).toBeGreaterThanOrEqual(TRACES - storedBefore);
    db.close();
    await proxy.close();
    await server.close();
  });
});
