// D1 binds at most 100 parameters per statement; SQLite's own limit is higher, so the D1 limit rules.
export const MAX_BOUND_PARAMETERS = 100;

/** Split rows into groups small enough that one multi-row INSERT binds ≤ 100 parameters. */
export function chunkRows<T extends object>(rows: readonly T[], columnsPerRow?: number): T[][] {
  if (rows.length === 0) {
    return [];
  }
  const columns = Math.max(1, columnsPerRow ?? Object.keys(rows[0] as object).length);
  const size = Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / columns));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) {
    chunks.push(rows.slice(i, i + size));
  }
  return chunks;
}

// Leaves room for the other parameters of a query (workspace, filters): D1 binds at most 100 per statement.
export const IDS_PER_QUERY = MAX_BOUND_PARAMETERS - 10;

/** Runs `query` over `items` in groups small enough for D1 and concatenates the results. */
export async function queryInChunks<I, T>(items: readonly I[], query: (chunk: I[]) => Promise<T[]>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < items.length; i += IDS_PER_QUERY) {
    results.push(...(await query(items.slice(i, i + IDS_PER_QUERY))));
  }
  return results;
}
