import type { BatchItem } from "drizzle-orm/batch";
import type { Query } from "drizzle-orm/sql";
import type { Database } from "../db/client";

/** A write statement that can run in a batch or be rendered as SQL text. */
export type PlannedWrite = BatchItem<"sqlite"> & { toSQL(): Query };

/**
 * The statements a command would run and what it returns once they ran. Executing a plan and
 * printing it (the CLI's `--sql`, for bootstrapping a remote D1) share one code path.
 */
export interface WritePlan<T> {
  writes: [PlannedWrite, ...PlannedWrite[]];
  result: T;
}

/** Runs the plan's statements atomically (`db.batch`: D1 has no interactive transactions). */
export async function runWritePlan<T>(db: Database, plan: WritePlan<T>): Promise<T> {
  await db.batch(plan.writes);
  return plan.result;
}
