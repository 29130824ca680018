/** Thrown while decoding one span (or one resource/scope block) to reject just that item; caught by the walker. */
export class ItemRejection extends Error {
  override readonly name = "ItemRejection";
}

export function reject(reason: string): never {
  throw new ItemRejection(reason);
}
