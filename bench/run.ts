// Runs every benchmark in bench/ (or the ones named on the command line) in its own process, one after
// another so they do not compete for the two cores, and prints their JSON figures as one array.
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";

const dir = import.meta.dirname;
const wanted = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .filter((f) => wanted.length === 0 || wanted.includes(basename(f, ".ts")))
  .sort();

const results: unknown[] = [];
for (const file of files) {
  process.stderr.write(`bench: ${file}\n`);
  const out = execFileSync(join(dir, "../node_modules/.bin/tsx"), [join(dir, file)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of out.split("\n").filter((l) => l.trim().startsWith("{"))) {
    results.push(JSON.parse(line));
  }
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
