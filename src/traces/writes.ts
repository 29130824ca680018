import { and, type Column, eq, getTableColumns, is, isNull, SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Ctx } from "../context";
import { MAX_BOUND_PARAMETERS } from "../db/chunk";
import { type NewTrace, tracePayloadChunks, traces } from "../db/schema";
import { yieldToEventLoop } from "../event-loop";
import type { TraceColumns } from "./document";
import { groupBySize } from "./internal";

// Statement builders for trace writes. Every write of a document is guarded by its SHA-256: chunk rows
// are only inserted or deleted while the trace row carries the hash of the document they belong to, so
// a writer that lost a race (its UPDATE matched nothing, or its INSERT hit the unique key) changes nothing.

const PARAMS_PER_CHUNK_ROW = 4;
// Keeps one statement's bound bytes at two full chunks at most, whatever the trace sizes in a batch.
const MAX_BYTES_PER_CHUNK_STATEMENT = 1024 * 1024;

export type WriteStatement = BatchItem<"sqlite">;

// Each column with the value an omitted field gets (its static default, else NULL), worked out once:
// drizzle's `is()` per column per row showed up in ingest profiles.
const TRACE_COLUMNS = (Object.entries(getTableColumns(traces)) as [keyof NewTrace, Column][]).map(
  ([key, column]) =>
    [key, column, column.default !== undefined && !is(column.default, SQL) ? column.default : null] as const,
);
// The JSON of one multi-row trace INSERT stays well under D1's 2 MB value limit.
const MAX_ROWS_JSON_CHARS = 1024 * 1024;

function driverValue(column: Column, omitted: unknown, value: unknown): unknown {
  if (value === undefined || value === null) {
    return value === undefined ? omitted : null;
  }
  return column.mapToDriverValue(value);
}

/** The rows as one JSON array of arrays, columns in table order, values as the driver would bind them. */
function rowsJson(rows: readonly NewTrace[]): string[] {
  const encoded = rows.map((row) =>
    JSON.stringify(TRACE_COLUMNS.map(([key, column, omitted]) => driverValue(column, omitted, row[key]))),
  );
  return groupBySize(encoded, (json) => json.length, MAX_ROWS_JSON_CHARS).map((group) => `[${group.join(",")}]`);
}

const extractColumns = sql.raw(TRACE_COLUMNS.map((_, i) => `json_extract(value, '$[${i}]')`).join(", "));

/**
 * INSERT of new trace rows; a row whose (workspace, source, external id) already exists is skipped.
 * D1 binds at most 100 parameters, which is 3 trace rows per VALUES statement; the rows travel instead
 * as one JSON parameter unpacked by json_each, so a whole batch of traces is one statement.
 */
export function insertTraceStatements(ctx: Ctx, rows: NewTrace[]) {
  return rowsJson(rows).map((json) =>
    ctx.db
      .insert(traces)
      // `where true`: SQLite needs it to parse INSERT … SELECT … ON CONFLICT.
      .select(sql`select ${extractColumns} from json_each(${json}) where true`)
      .onConflictDoNothing()
      .returning({ id: traces.id }),
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
  body: Uint8Array;
  sha: string;
}

/** A trace's payload as written: its chunks and the hash of their concatenation. */
export interface PayloadToWrite {
  id: string;
  chunks: readonly Uint8Array[];
  sha256: string;
}

/** INSERTs of the documents' chunk rows, each row kept only if its trace row carries that document's hash. */
export function insertChunkStatements(ctx: Ctx, items: readonly PayloadToWrite[]) {
  const rows = items.flatMap(({ id, chunks, sha256 }) =>
    chunks.map((body, seq): ChunkRow => ({ traceId: id, seq, body, sha: sha256 })),
  );
  const maxRows = Math.floor(MAX_BOUND_PARAMETERS / PARAMS_PER_CHUNK_ROW);
  return groupBySize(rows, (r) => r.body.length, MAX_BYTES_PER_CHUNK_STATEMENT, maxRows).map((group) => {
    const values = sql.join(
      group.map((r) => sql`(${r.traceId}, ${r.seq}, ${r.body}, ${r.sha})`),
      sql`, `,
    );
    // Columns in table order (trace_id, seq, body); the UTF-8 bytes bound as a blob become text by the
    // cast, byte for byte. Not db.run(sql): Drizzle's D1 batch cannot bind raw statements.
    return ctx.db
      .insert(tracePayloadChunks)
      .select(
        sql`select v.column1, v.column2, cast(v.column3 as text) from (values ${values}) as v where ${carries(sql`v.column1`, sql`v.column4`)}`,
      );
  });
}

/**
 * Runs the statements as one atomic batch and returns each statement's result. Every batch first
 * gives the event loop a turn, so a large import or export written in many batches never blocks
 * the host's other requests for its whole length.
 */
export async function runBatch(ctx: Ctx, statements: WriteStatement[]): Promise<unknown[]> {
  // Also when there is nothing to write: an unchanged re-import still read and merged its documents.
  await yieldToEventLoop();
  const [first, ...rest] = statements;
  if (!first) {
    return [];
  }
  // The batch is built dynamically, so Drizzle cannot type results per position; callers know them.
  return (await ctx.db.batch([first, ...rest])) as unknown[];
}
