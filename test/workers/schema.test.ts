import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { newId } from "../../src/db/ids";
import {
  feedback,
  integrations,
  TRACE_PAYLOAD_CHUNK_CHARS,
  tracePayloadChunks,
  traces,
  workspaces,
} from "../../src/db/schema";

describe("schema on D1", () => {
  it("has the tables the migrations create", async () => {
    const row = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type='table' AND name='eval_candidate_executions'",
    ).first<{ name: string }>();
    expect(row?.name).toBe("eval_candidate_executions");
  });

  it("enforces foreign-key cascades and set-null like SQLite does", async () => {
    const db = createDb(env.DB);
    const [ws, integration, trace] = [newId("workspace"), newId("integration"), newId("trace")];
    await db.batch([
      db.insert(workspaces).values({ id: ws, name: "d1" }),
      db
        .insert(integrations)
        .values({ id: integration, workspaceId: ws, name: "lf", platform: "langfuse", apiKeyEncrypted: "c" }),
      db
        .insert(traces)
        .values({ id: trace, workspaceId: ws, integrationId: integration, source: "langfuse", externalId: "x" }),
      db.insert(tracePayloadChunks).values({ traceId: trace, seq: 0, body: "{}" }),
      db
        .insert(feedback)
        .values({ id: newId("feedback"), workspaceId: ws, traceId: trace, rating: "negative", createdBy: "local" }),
    ]);

    await db.delete(integrations).where(eq(integrations.id, integration));
    expect((await db.select().from(traces).where(eq(traces.id, trace)))[0]?.integrationId).toBeNull();

    await db.delete(workspaces).where(eq(workspaces.id, ws));
    expect(await db.select().from(traces).where(eq(traces.id, trace))).toEqual([]);
    expect(await db.select().from(tracePayloadChunks).where(eq(tracePayloadChunks.traceId, trace))).toEqual([]);
    expect(await db.select().from(feedback).where(eq(feedback.traceId, trace))).toEqual([]);
  });

  it("stores a full payload chunk of 3-byte characters intact", async () => {
    const db = createDb(env.DB);
    const [ws, trace] = [newId("workspace"), newId("trace")];
    // "€" is 3 bytes in UTF-8: the worst case the chunk size was chosen for.
    const body = "€".repeat(TRACE_PAYLOAD_CHUNK_CHARS);
    await db.batch([
      db.insert(workspaces).values({ id: ws, name: "d1" }),
      db.insert(traces).values({ id: trace, workspaceId: ws, source: "upload", externalId: "big" }),
      db.insert(tracePayloadChunks).values({ traceId: trace, seq: 0, body }),
    ]);
    const [chunk] = await db.select().from(tracePayloadChunks).where(eq(tracePayloadChunks.traceId, trace));
    expect(chunk?.body === body).toBe(true);
  });
});
