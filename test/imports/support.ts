import { setImmediate as nextTurn } from "node:timers/promises";
import { asc, eq } from "drizzle-orm";
import { DEFAULT_WORKSPACE_ID } from "../../src/auth/resolve";
import type { Ctx } from "../../src/context";
import type { Database } from "../../src/db/client";
import { integrations, jobLogs, jobRetryHistory, jobs, traces } from "../../src/db/schema";
import type { JobOutcome } from "../../src/jobs";
import { loadTrace } from "../../src/traces";
import type { CanonicalTrace } from "../../src/traces/model";
import type { RequestOptions } from "../helpers/app";
import { readJson } from "../helpers/app";
import { makeJobsApp } from "../jobs/support";

/** After the fixtures' data (May 2026), so a window ending "now" holds all of it. */
export const TEST_NOW = "2026-06-01T00:00:00.000Z";

const TERMINAL: ReadonlySet<JobOutcome> = new Set(["completed", "failed", "cancelled"]);

/**
 * The real app with the real job runner and handlers, on a fake clock set to TEST_NOW. The runner
 * reports each attempt's outcome, so a test waits for a job to settle without polling.
 */
export async function makeImportApp() {
  const outcomes = new Map<string, JobOutcome[]>();
  const listeners = new Set<() => void>();
  const app = await makeJobsApp({
    onSettled: (job, outcome) => {
      outcomes.set(job.id, [...(outcomes.get(job.id) ?? []), outcome]);
      for (const listener of listeners) {
        listener();
      }
    },
  });
  app.clock.set(TEST_NOW);
  const ctx: Ctx = {
    db: app.db,
    workspaceId: DEFAULT_WORKSPACE_ID,
    actor: { kind: "local", role: "owner", apiKeyId: undefined },
    requestId: "req-test",
    deps: app.deps,
  };

  /**
   * Resolves with the outcomes of the job's attempts once it completed, failed or was cancelled;
   * `after` skips that many earlier outcomes (to wait on a manual retry of a finished job).
   */
  const settled = (jobId: string, after = 0) =>
    new Promise<JobOutcome[]>((resolve) => {
      const check = () => {
        const list = (outcomes.get(jobId) ?? []).slice(after);
        if (list.some((o) => TERMINAL.has(o))) {
          listeners.delete(check);
          resolve(list);
        }
      };
      listeners.add(check);
      check();
    });

  const post = (path: string, body: unknown, options: RequestOptions = {}) =>
    app.request(path, { method: "POST", body, ...options });

  let integrationCount = 0;
  async function createIntegration(body: Record<string, unknown>): Promise<string> {
    const res = await post("/api/integrations", { name: `source ${++integrationCount}`, ...body });
    if (res.status !== 201) {
      throw new Error(`integration not created: ${res.status} ${await res.text()}`);
    }
    return (await readJson(res)).id;
  }

  async function startImport(body: Record<string, unknown>): Promise<string> {
    const res = await post("/api/traces/import", body);
    if (res.status !== 202) {
      throw new Error(`import not accepted: ${res.status} ${await res.text()}`);
    }
    return (await readJson(res)).job_id;
  }

  /** Starts an import and waits for it to settle; returns the job row. */
  async function runImport(body: Record<string, unknown>) {
    const jobId = await startImport(body);
    const attempts = await settled(jobId);
    return { ...(await jobRow(app.db, jobId)), outcomes: attempts };
  }

  return { ...app, ctx, settled, post, createIntegration, startImport, runImport };
}

export async function jobRow(db: Database, id: string) {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  if (!row) {
    throw new Error(`no job ${id}`);
  }
  return row;
}

export const retriesOf = (db: Database, jobId: string) =>
  db.select().from(jobRetryHistory).where(eq(jobRetryHistory.jobId, jobId)).orderBy(asc(jobRetryHistory.attempt));

export const logsOf = (db: Database, jobId: string) =>
  db.select().from(jobLogs).where(eq(jobLogs.jobId, jobId)).orderBy(asc(jobLogs.id));

export async function integrationRow(db: Database, id: string) {
  const [row] = await db.select().from(integrations).where(eq(integrations.id, id));
  return row;
}

/** External ids of the stored traces, sorted (one per row, so duplicates would show). */
export async function storedExternalIds(db: Database): Promise<string[]> {
  const rows = await db.select({ externalId: traces.externalId }).from(traces);
  return rows.map((r) => r.externalId).sort();
}

/** Every stored trace's canonical document, by external id. */
export async function storedTraces(ctx: Ctx): Promise<Map<string, CanonicalTrace>> {
  const rows = await ctx.db.select({ id: traces.id }).from(traces).where(eq(traces.workspaceId, ctx.workspaceId));
  const out = new Map<string, CanonicalTrace>();
  for (const row of rows) {
    const trace = await loadTrace(ctx, row.id);
    out.set(trace.external_id, trace);
  }
  return out;
}

/** The span tree as `span <- parent` lines, for exact comparisons. */
export function treeOf(trace: CanonicalTrace): string[] {
  return trace.spans.map((s) => `${s.span_id} <- ${s.parent_span_id ?? "root"}`).sort();
}

/** Lets pending I/O run (no timers involved). */
export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await nextTurn();
  }
}
