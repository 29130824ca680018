import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import type { Database } from "../../src/db/client";
import { openNodeDatabase } from "../../src/runtime/node-database";

/** A migrated database in a temp file, opened exactly as the Node host opens it (WAL, busy timeout). */
export async function openBenchDb(): Promise<{ db: Database; client: Client; url: string; dispose: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), "iofold-bench-"));
  const url = `file:${join(dir, "bench.db")}`;
  const { db, client } = await openNodeDatabase(url);
  return {
    db,
    client,
    url,
    dispose: () => {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
