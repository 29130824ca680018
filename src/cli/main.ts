import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../config";
import { AppError } from "../errors";
import { parseCommandArgs, UsageError } from "./args";
import { type CliIo, commands } from "./commands";

export type { CliIo } from "./commands";

const USAGE = [
  "Usage: npm run cli -- <command> [options]",
  "",
  "Commands (output is JSON; the database is DATABASE_URL, default file:./data/iofold.db):",
  ...Object.values(commands).map((c) => `  ${c.synopsis}`),
  "",
  "--sql prints the INSERT statements instead of running them (stdout) and the new key on stderr,",
  "for bootstrapping a remote D1: see src/cli/README.md.",
].join("\n");

/**
 * Runs one CLI command and resolves to its exit code: 0 done, 1 the command failed (error JSON on
 * stderr), 2 bad arguments or configuration (message and usage on stderr).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [noun = "", verb = "", ...rest] = argv;
  if (noun === "help" || noun === "--help" || noun === "-h") {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    const command = commands[`${noun} ${verb}`];
    if (!command) {
      throw new UsageError(argv.length === 0 ? "No command given" : `Unknown command: ${argv.slice(0, 2).join(" ")}`);
    }
    await command.run(parseCommandArgs(command, rest), io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.stderr(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof AppError) {
      io.stderr(`${JSON.stringify({ error: { code: err.code, message: err.message } })}\n`);
      return 1;
    }
    io.stderr(`${JSON.stringify({ error: { code: "INTERNAL_ERROR", message: String(err) } })}\n`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && import.meta.url === pathToFileURL(realpathSync(script)).href;
}

if (isEntryPoint()) {
  const io: CliIo = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
  process.exitCode = await runCli(process.argv.slice(2), io);
}
