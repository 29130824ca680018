/**
 * A runner's lease token. Unique per runner, so it comes from crypto rather than deps.random
 * (tests fix deps.random, and two runners must never share a token); it never affects behaviour.
 */
export function newLeaseOwner(kind: "node" | "queue"): string {
  return `${kind}_${crypto.randomUUID()}`;
}
