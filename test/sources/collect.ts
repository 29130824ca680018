/** Every page of a walk; the error (if the walk throws) is returned beside the pages seen so far. */
export async function collect<T>(pages: AsyncGenerator<T>): Promise<{ pages: T[]; error: unknown }> {
  const seen: T[] = [];
  try {
    for await (const page of pages) {
      seen.push(page);
    }
  } catch (error) {
    return { pages: seen, error };
  }
  return { pages: seen, error: undefined };
}

/** The walk's pages; fails the test if it throws. */
export async function allPages<T>(pages: AsyncGenerator<T>): Promise<T[]> {
  const result = await collect(pages);
  if (result.error !== undefined) {
    throw result.error;
  }
  return result.pages;
}
