import type { Client } from "@libsql/client";
import { expect } from "vitest";

/** The tables the product needs (the list plus the trace payload store and label history). */
export const REQUIRED_TABLES = [
  "users",
  "workspaces",
  "workspace_members",
  "api_keys",
  "integrations",
  "traces",
  "trace_payload_chunks",
  "feedback",
  "feedback_history",
  "agents",
  "agent_versions",
  "functions",
  "agent_functions",
  "tools",
  "agent_tools",
  "evals",
  "eval_executions",
  "eval_candidates",
  "eval_candidate_executions",
  "jobs",
  "job_retry_history",
  "job_logs",
  "tasksets",
  "taskset_tasks",
  "taskset_runs",
  "taskset_run_results",
  "gepa_runs",
  "gepa_run_tasks",
  "playground_sessions",
  "performance_snapshots",
  "performance_alerts",
];

export async function tableNames(on: Client): Promise<string[]> {
  const rs = await on.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'",
  );
  return rs.rows.map((row) => String(row.name)).sort();
}

export async function rowCounts(on: Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(on)) {
    const rs = await on.execute(`SELECT COUNT(*) AS n FROM "${name}"`);
    counts[name] = Number(rs.rows[0]?.n);
  }
  return counts;
}

export async function foreignKeyViolations(on: Client): Promise<unknown[]> {
  return (await on.execute("PRAGMA foreign_key_check")).rows;
}

/** The driver wraps SQLite's error; the constraint message is on the cause. */
export async function expectConstraintViolation(write: Promise<unknown>, kind: "UNIQUE" | "FOREIGN KEY") {
  const error = await write.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  expect(String((error as Error).cause ?? error)).toContain(`${kind} constraint failed`);
}
