import { and, eq, getTableColumns, isNull, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Ctx } from "../context";
import { chunkRows } from "../db/chunk";
import { type NewTrace, tracePayloadChunks, traces } from "../db/schema";
import type { PreparedTrace, TraceColumns } from "./document";

// Statement builders for trace writes. Every write of a document is guarded by its SHA-256: chunk rows
// are only inserted or deleted while the trace row carries the hash of the document they belong to, so
// a writer that lost a race (its UPDATE matched nothing, or its INSERT hit the unique key) changes nothing.

const TRACE_COLUMN_COUNT = Object.keys(getTableColumns(traces)).length;
const PARAMS_PER_CHUNK_ROW = 4;
// Keeps one statement's bound text near two full chunks, whatever the trace sizes in a batch.
const MAX_CHARS_PER_CHUNK_STATEMENT = 1024 * 1024;

export type WriteStatement = BatchItem<"sqlite">;

/** INSERT of new trace rows; a row whose (workspace, source, external id) already exists is skipped. */
export function insertTraceStatements(ctx: Ctx, rows: NewTrace[]): WriteStatement[] {
  return chunkRows(rows, TRACE_COLUMN_COUNT).map((group) =>
    ctx.db.insert(traces).values(group).onConflictDoNothing().returning({ id: traces.id }),
  );
}

/** UPDATE of a trace row, only if its stored document is still the one the merge started from. */
export function updateTraceStatement(
  ctx: Ctx,
  id: string,
  readSha: string | null,
  columns: TraceColumns,
): WriteStatement {
  const unchanged = readSha === null ? isNull(traces.payloadSha256) : eq(traces.payloadSha256, readSha);
  return ctx.db
    .update(traces)
    .set(columns)
    .where(and(eq(traces.id, id), eq(traces.workspaceId, ctx.workspaceId), unchanged))
    .returning({ id: traces.id });
}

function carries(traceId: SQL | string, sha: SQL | string): SQL {
  return sql`exists (select 1 from ${traces} where ${traces.id} = ${traceId} and ${traces.payloadSha256} = ${sha})`;
}

/** DELETE of a trace's old chunks, only once the row carries the new document's hash. */
export function deleteChunksStatement(ctx: Ctx, id: string, newSha: string): WriteStatement {
  return ctx.db.delete(tracePayloadChunks).where(and(eq(tracePayloadChunks.traceId, id), carries(id, newSha)));
}

interface ChunkRow {
  traceId: string;
  seq: number;
  body: string;
  sha: string;
}

function groupChunkRows(rows: readonly ChunkRow[]): ChunkRow[][] {
  const maxRows = Math.floor(100 / PARAMS_PER_CHUNK_ROW);
  const groups: ChunkRow[][] = [];
  let current: ChunkRow[] = [];
  let chars = 0;
  for (const row of rows) {
    if (current.length > 0 && (current.length >= maxRows || chars + row.body.length > MAX_CHARS_PER_CHUNK_STATEMENT)) {
      groups.push(current);
      current = [];
      chars = 0;
    }
    current.push(row);
    chars += row.body.length;
  }
  if (current.length > 0) {
    groups.push(current);
  }
  return groups;
}

/** INSERTs of the documents' chunk rows, each row kept only if its trace row carries that document's hash. */
export function insertChunkStatements(ctx: Ctx, items: readonly { id: string; prepared: PreparedTrace }[]) {
  const rows = items.flatMap(({ id, prepared }) =>
    prepared.chunks.map((body, seq) => ({ traceId: id, seq, body, sha: prepared.sha256 })),
  );
  return groupChunkRows(rows).map((group) => {
    const values = sql.join(
      group.map((r) => sql`(${r.traceId}, ${r.seq}, ${r.body}, ${r.sha})`),
      sql`, `,
    );
    return ctx.db.run(
      sql`insert into ${tracePayloadChunks} (trace_id, seq, body) select v.column1, v.column2, v.column3 from (values ${values}) as v where ${carries(sql`v.column1`, sql`v.column4`)}`,
    );
  });
}

/** Runs the statements as one atomic batch and returns each statement's result. */
export async function runBatch(ctx: Ctx, statements: WriteStatement[]): Promise<unknown[]> {
  const [first, ...rest] = statements;
  if (!first) {
    return [];
  }
  // The batch is built dynamically, so Drizzle cannot type results per position; callers know them.
  return (await ctx.db.batch([first, ...rest])) as unknown[];
}
