import type { Client } from "@libsql/client";
import { eq, getTableName, is, type TablesRelationalConfig } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client";
import { newId } from "../../src/db/ids";
import * as schema from "../../src/db/schema";
import {
  agents,
  agentVersions,
  evalCandidates,
  evalExecutions,
  evals,
  feedback,
  feedbackHistory,
  gepaRuns,
  integrations,
  jobs,
  TRACE_PAYLOAD_CHUNK_CHARS,
  tasksetRunResults,
  tasksetRuns,
  tasksetTasks,
  traces,
  workspaces,
} from "../../src/db/schema";
import { createTestDb } from "../helpers/db";
import { expectConstraintViolation, foreignKeyViolations, REQUIRED_TABLES, rowCounts, tableNames } from "./inspect";
import { type GraphIds, seedWorkspaceGraph } from "./seed-graph";

const ISO_MS_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

let db: Database;
let client: Client;

beforeAll(async () => {
  ({ db, client } = await createTestDb());
});

describe("schema tables", () => {
  it("creates every product table through the committed migrations", async () => {
    const names = await tableNames(client);
    expect(names).toEqual(expect.arrayContaining(REQUIRED_TABLES));
    const declared = Object.values(schema)
      .filter((value) => is(value, SQLiteTable))
      .map((table) => getTableName(table))
      .sort();
    expect(names).toEqual(declared);
  });

  it("keeps a full trace payload chunk within D1's 2 MB row limit even in 3-byte UTF-8", () => {
    expect(TRACE_PAYLOAD_CHUNK_CHARS * 3).toBeLessThan(2_000_000);
  });

  it("resolves every declared relation in relational queries", async () => {
    const ids = await seedWorkspaceGraph(db);
    const relational: TablesRelationalConfig = db._.schema ?? {};
    const query = db.query as unknown as Record<string, { findFirst(config: unknown): Promise<unknown> }>;
    let loaded = 0;
    for (const [tsName, table] of Object.entries(relational)) {
      const withAll = Object.fromEntries(Object.keys(table.relations).map((key) => [key, true]));
      // An ambiguous or one-sided relation throws here, when drizzle resolves it.
      await query[tsName]?.findFirst({ with: withAll });
      loaded++;
    }
    expect(loaded).toBe(Object.keys(relational).length);
    const agent = await db.query.agents.findFirst({
      where: eq(agents.id, ids.agent),
      with: { activeVersion: true, versions: true, evals: true },
    });
    expect(agent?.activeVersion?.id).toBe(ids.version);
    expect(agent?.versions.map((v) => v.id)).toEqual([ids.version]);
    const trace = await db.query.traces.findFirst({
      where: eq(traces.id, ids.trace),
      with: { feedback: true, payloadChunks: true },
    });
    expect(trace?.feedback?.rating).toBe("positive");
    expect(trace?.payloadChunks.map((chunk) => chunk.body).join("")).toBe('{"spans":[]}');
  });

  it("defaults every timestamp column in the migrations to ISO-8601 UTC with milliseconds", async () => {
    // Drizzle inlines schema defaults into its inserts, so the DDL's own defaults are read back directly.
    let checked = 0;
    for (const name of await tableNames(client)) {
      const columns = (await client.execute(`PRAGMA table_info("${name}")`)).rows;
      for (const column of columns.filter((c) => String(c.name).endsWith("_at") && c.dflt_value !== null)) {
        const rs = await client.execute(`SELECT ${column.dflt_value} AS v`);
        expect(rs.rows[0]?.v, `${name}.${column.name}`).toMatch(ISO_MS_UTC);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });

  it("stores ISO-8601 UTC timestamps with milliseconds in every defaulted column of inserted rows", async () => {
    await seedWorkspaceGraph(db);
    await client.execute("INSERT INTO workspaces (id, name) VALUES ('ws_raw_sql', 'raw')");
    let checked = 0;
    for (const name of await tableNames(client)) {
      const rs = await client.execute(`SELECT * FROM "${name}"`);
      for (const row of rs.rows) {
        for (const column of rs.columns.filter((c) => c.endsWith("_at"))) {
          if (row[column] !== null) {
            expect(row[column], `${name}.${column}`).toMatch(ISO_MS_UTC);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe("schema cascades", () => {
  it("deleting a workspace removes exactly its rows in every table and orphans nothing", async () => {
    // A database of its own, so the halving below is not blurred by other tests' rows.
    const own = await createTestDb();
    const doomed = await seedWorkspaceGraph(own.db);
    await seedWorkspaceGraph(own.db);
    const before = await rowCounts(own.client);
    await own.db.delete(workspaces).where(eq(workspaces.id, doomed.workspace));
    const after = await rowCounts(own.client);
    for (const [name, count] of Object.entries(before)) {
      // The tool catalogue is global: a workspace going away leaves it alone.
      const expected = name === "tools" ? count : count / 2;
      expect(`${name}: ${after[name]}`).toBe(`${name}: ${expected}`);
    }
    expect(before.traces).toBe(2);
    expect(await foreignKeyViolations(own.client)).toEqual([]);
  });

  it("deleting a trace removes its chunks, label and executions and unlinks tasks and run results", async () => {
    const ids = await seedWorkspaceGraph(db);
    await db.delete(traces).where(eq(traces.id, ids.trace));
    expect(await db.select().from(feedback).where(eq(feedback.traceId, ids.trace))).toEqual([]);
    expect(await db.select().from(evalExecutions).where(eq(evalExecutions.traceId, ids.trace))).toEqual([]);
    expect(await db.query.tracePayloadChunks.findMany({ where: (t, { eq }) => eq(t.traceId, ids.trace) })).toEqual([]);
    expect(await db.query.evalCandidateExecutions.findMany({ where: (t, { eq }) => eq(t.traceId, ids.trace) })).toEqual(
      [],
    );
    const [task] = await db.select().from(tasksetTasks).where(eq(tasksetTasks.id, ids.task));
    expect(task?.sourceTraceId).toBeNull();
    const [result] = await db.select().from(tasksetRunResults).where(eq(tasksetRunResults.runId, ids.run));
    expect(result?.traceId).toBeNull();
    // History outlives the label it describes.
    expect(await db.select().from(feedbackHistory).where(eq(feedbackHistory.traceId, ids.trace))).toHaveLength(1);
    expect(await foreignKeyViolations(client)).toEqual([]);
  });

  it("deleting an eval removes its executions, snapshots and alerts and unlinks runs and candidates", async () => {
    const ids = await seedWorkspaceGraph(db);
    await db.delete(evals).where(eq(evals.id, ids.eval));
    expect(await db.select().from(evalExecutions).where(eq(evalExecutions.evalId, ids.eval))).toEqual([]);
    expect(await db.query.performanceSnapshots.findMany({ where: (t, { eq }) => eq(t.evalId, ids.eval) })).toEqual([]);
    expect(await db.query.performanceAlerts.findMany({ where: (t, { eq }) => eq(t.evalId, ids.eval) })).toEqual([]);
    expect((await db.select().from(gepaRuns).where(eq(gepaRuns.id, ids.gepaRun)))[0]?.evalId).toBeNull();
    expect((await db.select().from(evalCandidates).where(eq(evalCandidates.id, ids.candidate)))[0]?.evalId).toBeNull();
    expect(await foreignKeyViolations(client)).toEqual([]);
  });

  it("deleting an agent keeps its labels and traces but drops what only made sense for it", async () => {
    const ids = await seedWorkspaceGraph(db);
    await db.delete(agents).where(eq(agents.id, ids.agent));
    expect(await db.select().from(agentVersions).where(eq(agentVersions.agentId, ids.agent))).toEqual([]);
    expect(await db.select().from(evals).where(eq(evals.agentId, ids.agent))).toEqual([]);
    const [label] = await db.select().from(feedback).where(eq(feedback.traceId, ids.trace));
    expect(label?.agentId).toBeNull();
    const [trace] = await db.select().from(traces).where(eq(traces.id, ids.trace));
    expect(trace?.agentVersionId).toBeNull();
    expect(await foreignKeyViolations(client)).toEqual([]);
  });

  it("deleting an integration or a job keeps the data they produced", async () => {
    const ids = await seedWorkspaceGraph(db);
    const [trace] = await db.select().from(traces).where(eq(traces.id, ids.trace));
    await db.delete(integrations).where(eq(integrations.id, trace?.integrationId ?? ""));
    await db.delete(jobs).where(eq(jobs.id, ids.job));
    const [kept] = await db.select().from(traces).where(eq(traces.id, ids.trace));
    expect(kept?.integrationId).toBeNull();
    expect((await db.select().from(evalExecutions).where(eq(evalExecutions.id, ids.execution)))[0]?.jobId).toBeNull();
    expect((await db.select().from(tasksetRuns).where(eq(tasksetRuns.id, ids.run)))[0]?.jobId).toBeNull();
    expect(await foreignKeyViolations(client)).toEqual([]);
  });

  it("clears an agent's active version when that version is deleted", async () => {
    const ids = await seedWorkspaceGraph(db);
    await db.delete(agentVersions).where(eq(agentVersions.id, ids.version));
    expect((await db.select().from(agents).where(eq(agents.id, ids.agent)))[0]?.activeVersionId).toBeNull();
  });
});

describe("schema unique keys", () => {
  let ids: GraphIds;
  beforeAll(async () => {
    ids = await seedWorkspaceGraph(db);
  });

  const traceRow = (over: Partial<typeof traces.$inferInsert> = {}) => ({
    id: newId("trace"),
    workspaceId: ids.workspace,
    source: "langfuse" as const,
    externalId: "lf-1",
    ...over,
  });

  it("rejects a second trace with the same workspace, source and external id", async () => {
    await expectConstraintViolation(db.insert(traces).values(traceRow()), "UNIQUE");
    await db.insert(traces).values(traceRow({ source: "langsmith" }));
    const other = await seedWorkspaceGraph(db);
    await expectConstraintViolation(db.insert(traces).values(traceRow({ workspaceId: other.workspace })), "UNIQUE");
    await db.insert(traces).values(traceRow({ workspaceId: other.workspace, externalId: "lf-2" }));
  });

  it("lets a re-import update the existing trace through the unique key", async () => {
    await db
      .insert(traces)
      .values(traceRow({ name: "re-imported" }))
      .onConflictDoUpdate({
        target: [traces.workspaceId, traces.source, traces.externalId],
        set: { name: "re-imported" },
      });
    const rows = await db.select().from(traces).where(eq(traces.externalId, "lf-1"));
    const mine = rows.filter((row) => row.workspaceId === ids.workspace && row.source === "langfuse");
    expect(mine.map((row) => [row.id, row.name])).toEqual([[ids.trace, "re-imported"]]);
  });

  it("rejects a second execution of the same eval on the same trace", async () => {
    const row = { id: newId("evalExecution"), workspaceId: ids.workspace, evalId: ids.eval, traceId: ids.trace };
    await expectConstraintViolation(db.insert(evalExecutions).values(row), "UNIQUE");
  });

  it("rejects a second label on a trace and duplicate names, versions and tasks", async () => {
    const ws = ids.workspace;
    await expectConstraintViolation(
      db
        .insert(feedback)
        .values({ id: newId("feedback"), workspaceId: ws, traceId: ids.trace, rating: "negative", createdBy: "local" }),
      "UNIQUE",
    );
    await expectConstraintViolation(
      db.insert(agents).values({ id: newId("agent"), workspaceId: ws, name: "Support bot" }),
      "UNIQUE",
    );
    await expectConstraintViolation(
      db
        .insert(agentVersions)
        .values({ id: newId("agentVersion"), agentId: ids.agent, version: 1, promptTemplate: "" }),
      "UNIQUE",
    );
    await expectConstraintViolation(
      db
        .insert(evals)
        .values({ id: newId("eval"), workspaceId: ws, agentId: ids.agent, version: 1, name: "b", code: "" }),
      "UNIQUE",
    );
    await expectConstraintViolation(
      db
        .insert(tasksetTasks)
        .values({ id: newId("task"), tasksetId: ids.taskset, userMessage: "hi", contentHash: "h1" }),
      "UNIQUE",
    );
  });

  it("allows one queued or running import per integration, any number finished", async () => {
    const importJob = (status: "queued" | "running" | "completed" | "failed", trigger = "integration:int_a") => ({
      id: newId("job"),
      workspaceId: ids.workspace,
      type: "import" as const,
      status,
      triggerEvent: trigger,
    });
    await db.insert(jobs).values([importJob("completed"), importJob("failed"), importJob("queued")]);
    await expectConstraintViolation(db.insert(jobs).values(importJob("queued")), "UNIQUE");
    await expectConstraintViolation(db.insert(jobs).values(importJob("running")), "UNIQUE");
    await db.insert(jobs).values([importJob("queued", "integration:int_b"), importJob("completed")]);
  });

  it("rejects rows that point at a missing parent", async () => {
    await expectConstraintViolation(db.insert(traces).values(traceRow({ workspaceId: "ws_missing" })), "FOREIGN KEY");
  });
});
