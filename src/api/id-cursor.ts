import { decodeCursor, encodeCursor } from "./pagination";

/**
 * Lists ordered by a time-sortable id page on that id alone: the cursor carries the last id seen.
 * Turns the validated `{cursor, limit}` query into the services' `PageInput`.
 */
export function idPageInput(query: { cursor?: string | undefined; limit: number }): {
  afterId: string | undefined;
  limit: number;
} {
  const afterId = query.cursor === undefined ? undefined : String(decodeCursor(query.cursor, ["id"]).id);
  return { afterId, limit: query.limit };
}

/** `{ <itemsKey>: [...], next_cursor, has_more }` from a service page, with items serialized by `toJson`. */
export function toIdPageJson<K extends string, Row extends { id: string }, Json>(
  itemsKey: K,
  page: { items: Row[]; hasMore: boolean },
  toJson: (row: Row) => Json,
): { [P in K]: Json[] } & { next_cursor: string | null; has_more: boolean } {
  const last = page.items.at(-1);
  const nextCursor = page.hasMore && last ? encodeCursor({ id: last.id }) : null;
  return { [itemsKey]: page.items.map(toJson), next_cursor: nextCursor, has_more: page.hasMore } as {
    [P in K]: Json[];
  } & { next_cursor: string | null; has_more: boolean };
}
