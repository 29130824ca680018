export type LogFields = Record<string, unknown>;

/** Structured logging port. Event names are dotted lowercase (`job.claimed`). */
export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

type Level = keyof Logger;
const levelRank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** JSON lines to the console: both Workers Logs and Node collect them as they are. */
export function createConsoleLogger(minLevel: Level = "info"): Logger {
  const emit = (level: Level) => (event: string, fields?: LogFields) => {
    if (levelRank[level] < levelRank[minLevel]) {
      return;
    }
    const line = JSON.stringify({ level, event, time: new Date().toISOString(), ...fields });
    // biome-ignore lint/suspicious/noConsole: this is the logger the rest of the code uses
    console[level === "debug" ? "log" : level](line);
  };
  return { debug: emit("debug"), info: emit("info"), warn: emit("warn"), error: emit("error") };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
