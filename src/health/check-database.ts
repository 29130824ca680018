import { sql } from "drizzle-orm";
import type { Deps } from "../context";

/** One round trip to the database; never throws. */
export async function checkDatabase(deps: Deps): Promise<{ ok: boolean; latencyMs: number }> {
  const started = deps.clock.now().getTime();
  try {
    await deps.db.run(sql`select 1`);
    return { ok: true, latencyMs: deps.clock.now().getTime() - started };
  } catch (err) {
    deps.logger.error("health.database_failed", { error: err instanceof Error ? err.message : String(err) });
    return { ok: false, latencyMs: deps.clock.now().getTime() - started };
  }
}
