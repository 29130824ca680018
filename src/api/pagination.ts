import { z } from "@hono/zod-openapi";
import { validationError } from "../errors";

/** Opaque cursors: base64url JSON, so no cursor ever splits on a separator inside a value. */
export function encodeCursor(position: Record<string, string | number>): string {
  const bytes = new TextEncoder().encode(JSON.stringify(position));
  let binary = "";
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Decode a cursor made by {@link encodeCursor} and check it has `keys`; anything else is a 400. */
export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, string | number> {
  const bad = () => validationError("Invalid cursor", [{ path: "cursor", message: "not a cursor this API issued" }]);
  let value: unknown;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw bad();
  }
  if (typeof value !== "object" || value === null) {
    throw bad();
  }
  const record = value as Record<string, unknown>;
  for (const key of keys) {
    const v = record[key];
    if (typeof v !== "string" && typeof v !== "number") {
      throw bad();
    }
  }
  return record as Record<K, string | number>;
}

export const CursorQuery = {
  cursor: z.string().max(1024).optional().openapi({ description: "Opaque cursor from `next_cursor`" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
};

/** `{ <itemsKey>: Item[], next_cursor, has_more }`: the one page shape of every list. */
export function CursorPage<K extends string, T extends z.ZodType>(itemsKey: K, item: T) {
  return z.object({
    [itemsKey]: z.array(item),
    next_cursor: z.string().nullable(),
    has_more: z.boolean(),
  } as { [P in K]: z.ZodArray<T> } & { next_cursor: z.ZodNullable<z.ZodString>; has_more: z.ZodBoolean });
}
