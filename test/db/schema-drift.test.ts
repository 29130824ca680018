import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "../helpers/db";

const ROOT = join(import.meta.dirname, "../..");
const SCHEMA = "./src/db/schema/index.ts";
// drizzle-kit runs TypeScript and starts slowly; the default 5 s is too tight on a busy machine.
const KIT_TIMEOUT_MS = 60_000;

const scratch = mkdtempSync(join(tmpdir(), "iofold-drift-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs drizzle-kit from the repo root and returns what it printed (it exits 0 even on some errors). */
function drizzleKit(args: string[]): string {
  return execFileSync(join(ROOT, "node_modules/.bin/drizzle-kit"), args, {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: KIT_TIMEOUT_MS,
  });
}

/** `generate` into `out`; drizzle-kit prefixes `./` to the path, so it must be relative to the root. */
function generateInto(out: string): string {
  return drizzleKit(["generate", "--dialect", "sqlite", "--schema", SCHEMA, "--out", relative(ROOT, out)]);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).sort();
}

describe("schema and migrations", () => {
  it(
    "generates nothing new from the committed migrations: the schema has no uncommitted change",
    () => {
      const copy = join(scratch, "committed");
      cpSync(MIGRATIONS_FOLDER, copy, { recursive: true });
      const output = generateInto(copy);
      expect(output).toContain("No schema changes");
      expect(listFiles(copy)).toEqual(listFiles(MIGRATIONS_FOLDER));
    },
    KIT_TIMEOUT_MS,
  );

  it(
    "would notice drift: from an empty history, generate writes a migration",
    () => {
      // Guards the test above against passing vacuously (e.g. drizzle-kit failing quietly).
      const empty = join(scratch, "empty");
      mkdirSync(empty);
      generateInto(empty);
      expect(listFiles(empty).filter((file) => file.endsWith(".sql"))).toHaveLength(1);
    },
    KIT_TIMEOUT_MS,
  );

  it(
    "passes drizzle-kit check on the committed migrations",
    () => {
      expect(drizzleKit(["check"])).toContain("Everything's fine");
    },
    KIT_TIMEOUT_MS,
  );
});
