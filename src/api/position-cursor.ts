import { validationError } from "../errors";
import { decodeCursor, encodeCursor } from "./pagination";

/** A place in a list ordered by (created_at, id): the last row of the previous page. */
export interface Position {
  createdAt: string;
  id: string;
}

/** Decodes a (created_at, id) cursor made by {@link toPositionPageJson}; anything else is a 400. */
export function decodePosition(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const { created_at, id } = decodeCursor(cursor, ["created_at", "id"]);
  if (typeof created_at !== "string" || typeof id !== "string") {
    throw validationError("Invalid cursor", [{ path: "cursor", message: "not a cursor this API issued" }]);
  }
  return { createdAt: created_at, id };
}

/** `{ <itemsKey>: [...], next_cursor, has_more }` for a list ordered by (created_at, id). */
export function toPositionPageJson<K extends string, Row extends Position, Json>(
  itemsKey: K,
  page: { items: Row[]; hasMore: boolean },
  toJson: (row: Row) => Json,
): { [P in K]: Json[] } & { next_cursor: string | null; has_more: boolean } {
  const last = page.items.at(-1);
  const nextCursor = page.hasMore && last ? encodeCursor({ created_at: last.createdAt, id: last.id }) : null;
  return { [itemsKey]: page.items.map(toJson), next_cursor: nextCursor, has_more: page.hasMore } as {
    [P in K]: Json[];
  } & { next_cursor: string | null; has_more: boolean };
}
