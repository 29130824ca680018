import { and, asc, eq, inArray } from "drizzle-orm";
import type { Ctx } from "../context";
import { queryInChunks } from "../db/chunk";
import { type Trace, tracePayloadChunks, traces } from "../db/schema";
import { notFound } from "../errors";
import { CorruptTracePayloadError } from "./internal";
import { buildTraceView, type CanonicalTrace, decodeTracePayload, joinPayload, type TraceView } from "./model";

type DocumentRow = Pick<
  Trace,
  | "id"
  | "source"
  | "externalId"
  | "name"
  | "startedAt"
  | "endedAt"
  | "inputPreview"
  | "outputPreview"
  | "tags"
  | "metadata"
  | "userId"
  | "sessionId"
  | "payloadBytes"
  | "payloadSha256"
>;

/** A stored trace's document and the hash it was read at (the optimistic-concurrency token of re-imports). */
export interface StoredDocument {
  id: string;
  sha256: string | null;
  trace: CanonicalTrace;
}

const documentColumns = {
  id: traces.id,
  source: traces.source,
  externalId: traces.externalId,
  name: traces.name,
  startedAt: traces.startedAt,
  endedAt: traces.endedAt,
  inputPreview: traces.inputPreview,
  outputPreview: traces.outputPreview,
  tags: traces.tags,
  metadata: traces.metadata,
  userId: traces.userId,
  sessionId: traces.sessionId,
  payloadBytes: traces.payloadBytes,
  payloadSha256: traces.payloadSha256,
};

/** A row written without a payload (by hand, or before payloads existed): its columns are all there is. */
function documentFromColumns(row: DocumentRow): CanonicalTrace {
  return {
    external_id: row.externalId,
    source: row.source,
    name: row.name,
    started_at: row.startedAt,
    ended_at: row.endedAt,
    input: row.inputPreview,
    output: row.outputPreview,
    spans: [],
    metadata: (row.metadata ?? {}) as CanonicalTrace["metadata"],
    tags: row.tags,
    user_id: row.userId,
    session_id: row.sessionId,
  };
}

/**
 * Joins a row's chunks and checks them against the recorded size and hash.
 * @throws CorruptTracePayloadError when a chunk is missing, extra or altered.
 */
function assembleDocument(
  row: DocumentRow,
  chunks: { seq: number; body: string }[],
  sha256Hex: (bytes: Uint8Array) => string,
): CanonicalTrace {
  if (row.payloadSha256 === null && chunks.length === 0) {
    return documentFromColumns(row);
  }
  chunks.forEach((chunk, i) => {
    if (chunk.seq !== i) {
      throw new CorruptTracePayloadError(row.id, `chunk ${i} is missing`);
    }
  });
  const text = joinPayload(chunks.map((c) => c.body));
  const bytes = new TextEncoder().encode(text);
  if (bytes.length !== row.payloadBytes) {
    throw new CorruptTracePayloadError(row.id, `${bytes.length} bytes stored, ${row.payloadBytes} recorded`);
  }
  if (sha256Hex(bytes) !== row.payloadSha256) {
    throw new CorruptTracePayloadError(row.id, "SHA-256 does not match");
  }
  return decodeTracePayload(text);
}

/** Rows and chunks of one group of ids, read in one batch so a concurrent re-import is seen whole or not at all. */
async function readDocumentGroup(ctx: Ctx, ids: string[]): Promise<StoredDocument[]> {
  const scope = and(eq(traces.workspaceId, ctx.workspaceId), inArray(traces.id, ids));
  const [rows, chunkRows] = await ctx.db.batch([
    ctx.db.select(documentColumns).from(traces).where(scope),
    ctx.db
      .select({ traceId: tracePayloadChunks.traceId, seq: tracePayloadChunks.seq, body: tracePayloadChunks.body })
      .from(tracePayloadChunks)
      .innerJoin(traces, eq(traces.id, tracePayloadChunks.traceId))
      .where(scope)
      .orderBy(asc(tracePayloadChunks.traceId), asc(tracePayloadChunks.seq)),
  ]);
  const byTrace = new Map<string, { seq: number; body: string }[]>();
  for (const c of chunkRows) {
    const list = byTrace.get(c.traceId) ?? [];
    list.push(c);
    byTrace.set(c.traceId, list);
  }
  const docs: StoredDocument[] = [];
  for (const row of rows) {
    docs.push({
      id: row.id,
      sha256: row.payloadSha256,
      trace: assembleDocument(row, byTrace.get(row.id) ?? [], ctx.deps.sha256Hex),
    });
  }
  return docs;
}

/**
 * The documents of the workspace's traces among `ids`, keyed by id (absent ids are left out).
 * @throws CorruptTracePayloadError
 */
export async function readStoredDocuments(ctx: Ctx, ids: readonly string[]): Promise<Map<string, StoredDocument>> {
  const docs = await queryInChunks([...new Set(ids)], (group) => readDocumentGroup(ctx, group));
  return new Map(docs.map((doc) => [doc.id, doc]));
}

/**
 * The stored canonical document of one trace, exactly as written.
 * @throws NOT_FOUND when the trace is not in the workspace; CorruptTracePayloadError on a damaged payload.
 */
export async function loadTrace(ctx: Ctx, id: string): Promise<CanonicalTrace> {
  const doc = (await readStoredDocuments(ctx, [id])).get(id);
  if (!doc) {
    throw notFound("trace", id);
  }
  return doc.trace;
}

/**
 * THE trace view (what evals receive) of each of the workspace's traces among `ids`, keyed by trace
 * id; ids of other workspaces or of no trace are absent. Reads 90 traces per batch.
 * @throws CorruptTracePayloadError
 */
export async function loadTraceViews(ctx: Ctx, ids: readonly string[]): Promise<Map<string, TraceView>> {
  // Views are built group by group, so at most one group of full documents is in memory at a time.
  const views = await queryInChunks([...new Set(ids)], async (group) =>
    (await readDocumentGroup(ctx, group)).map((doc) => [doc.id, buildTraceView(doc.trace, doc.id)] as const),
  );
  return new Map(views);
}
