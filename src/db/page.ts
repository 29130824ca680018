/** One keyset page: callers fetch `limit + 1` rows; the extra row only tells whether more exist. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

export function toPage<T>(rows: T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasMore: rows.length > limit };
}
