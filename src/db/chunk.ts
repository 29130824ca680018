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
