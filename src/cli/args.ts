import { parseArgs } from "node:util";

/** Bad command line: the CLI prints the message and the usage on stderr and exits with 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export interface CommandSpec {
  /** Options taking a value; those in `required` must be given. */
  strings: readonly string[];
  required: readonly string[];
  flags: readonly string[];
  synopsis: string;
}

export type ParsedOptions = Record<string, string | boolean | undefined>;

/** Parses one command's options strictly: unknown options, stray words and missing values are usage errors. */
export function parseCommandArgs(spec: CommandSpec, argv: readonly string[]): ParsedOptions {
  const options: Record<string, { type: "string" | "boolean" }> = {};
  for (const name of spec.strings) {
    options[name] = { type: "string" };
  }
  for (const name of spec.flags) {
    options[name] = { type: "boolean" };
  }
  let values: ParsedOptions;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const missing = spec.required.filter((name) => typeof values[name] !== "string");
  if (missing.length > 0) {
    throw new UsageError(`Missing ${missing.map((name) => `--${name}`).join(", ")}`);
  }
  return values;
}

/** The value of a string option `parseCommandArgs` already checked, or undefined if optional and absent. */
export function stringOption(values: ParsedOptions, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}
