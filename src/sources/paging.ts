import { AppError, ExternalServiceError } from "../errors";

/**
 * One page of a paged walk. `resume` is where to continue after this page has been stored;
 * `done` says the walk reached the end of the source's data for this query.
 */
export interface SourcePage<P> {
  resume: P;
  done: boolean;
}

/**
 * Walks pages until the source says there are no more. Stops loudly (CONFIGURATION_ERROR) after
 * `maxPages`, and with an ExternalServiceError when the source hands back the position it was
 * asked for (a server bug that would otherwise loop for ever).
 */
export async function* paginate<P, Page extends SourcePage<P>>(
  service: string,
  maxPages: number,
  start: P,
  fetchPage: (position: P) => Promise<Page>,
): AsyncGenerator<Page> {
  let position = start;
  for (let count = 1; ; count++) {
    const page = await fetchPage(position);
    yield page;
    if (page.done) {
      return;
    }
    if (JSON.stringify(page.resume) === JSON.stringify(position)) {
      throw new ExternalServiceError(service, `${service} returned the same page position twice; stopping`, {
        status: 502,
      });
    }
    if (count >= maxPages) {
      throw new AppError(
        "CONFIGURATION_ERROR",
        `${service}: stopped after ${maxPages} pages without reaching the end; raise maxPages or narrow the query`,
      );
    }
    position = page.resume;
  }
}

/** Every item of a walk, for small sub-walks (one trace's observations, one completion's messages). */
export async function collectPages<P, T, Page extends SourcePage<P>>(
  pages: AsyncGenerator<Page>,
  itemsOf: (page: Page) => readonly T[],
): Promise<T[]> {
  const items: T[] = [];
  for await (const page of pages) {
    items.push(...itemsOf(page));
  }
  return items;
}

/** Clamp a caller's page size to what the service accepts. */
export function pageSize(requested: number | undefined, fallback: number, max: number): number {
  if (requested === undefined || !Number.isFinite(requested)) {
    return fallback;
  }
  return Math.min(max, Math.max(1, Math.floor(requested)));
}
