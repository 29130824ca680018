import { z } from "zod";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1"]);

const MiB = 1024 * 1024;

const intFrom = (name: string, min: number, max: number, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .default(fallback);

/** Everything the app reads from its environment, as each host passes it in. */
export const EnvSchema = z.object({
  PORT: intFrom("PORT", 1, 65_535, 8787),
  HOST: z.string().min(1, "HOST must not be empty").default("127.0.0.1"),
  DATABASE_URL: z
    .string()
    .regex(/^(file:|libsql:|https?:|wss?:)/, "DATABASE_URL must start with file:, libsql:, http(s): or ws(s):")
    .default("file:./data/iofold.db"),
  DATABASE_AUTH_TOKEN: z.string().optional(),
  AUTH_MODE: z.enum(["local", "key"], { error: "AUTH_MODE must be 'local' or 'key'" }).optional(),
  ENCRYPTION_KEY: z
    .string()
    .min(32, "ENCRYPTION_KEY must be at least 32 characters (e.g. `openssl rand -base64 32`)")
    .optional(),
  LOG_LEVEL: z
    .enum(["debug", "info", "warn", "error"], { error: "LOG_LEVEL must be debug, info, warn or error" })
    .default("info"),
  MAX_BODY_BYTES: intFrom("MAX_BODY_BYTES", 1024, 100 * MiB, 21 * MiB),
  MAX_TRACE_BYTES: intFrom("MAX_TRACE_BYTES", 1024, 100 * MiB, 20 * MiB),
  JOB_CONCURRENCY: intFrom("JOB_CONCURRENCY", 1, 64, 4),
  JOB_POLL_INTERVAL_MS: intFrom("JOB_POLL_INTERVAL_MS", 10, 60_000, 200),
  JOB_LEASE_MS: intFrom("JOB_LEASE_MS", 1_000, 3_600_000, 60_000),
  SWEEP_INTERVAL_MS: intFrom("SWEEP_INTERVAL_MS", 1_000, 3_600_000, 30_000),
  ALLOW_PRIVATE_SOURCE_URLS: z
    .enum(["true", "false"], { error: "ALLOW_PRIVATE_SOURCE_URLS must be 'true' or 'false'" })
    .optional(),
  MONITOR_INTERVAL_MS: intFrom("MONITOR_INTERVAL_MS", 60_000, 86_400_000, 3_600_000),
});

export type Env = z.input<typeof EnvSchema>;

export interface AppConfig {
  port: number;
  host: string;
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  authMode: "local" | "key";
  encryptionKey: string | undefined;
  logLevel: "debug" | "info" | "warn" | "error";
  maxBodyBytes: number;
  /** Largest stored trace document (UTF-8 bytes of its canonical JSON); larger traces are refused with 413. */
  maxTraceBytes: number;
  jobs: { concurrency: number; pollIntervalMs: number; leaseMs: number; sweepIntervalMs: number };
  /** May integrations call loopback/private addresses? Yes in local mode, no in key (multi-tenant) mode. */
  allowPrivateSourceUrls: boolean;
  /** How often the monitor job runs per workspace (one job per slot of this length). */
  monitoring: { intervalMs: number };
}

/** Thrown at host start when the environment is invalid; `problems` holds one line per bad value. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

/**
 * Parse and check the environment. `defaultAuthMode` is the host's choice when AUTH_MODE is
 * unset: local on a loopback address, key anywhere else.
 */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => i.message));
  }
  const e = parsed.data;
  const authMode = e.AUTH_MODE ?? (LOOPBACK_HOSTS.has(e.HOST) ? "local" : "key");
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseAuthToken: e.DATABASE_AUTH_TOKEN,
    authMode,
    encryptionKey: e.ENCRYPTION_KEY,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxTraceBytes: e.MAX_TRACE_BYTES,
    jobs: {
      concurrency: e.JOB_CONCURRENCY,
      pollIntervalMs: e.JOB_POLL_INTERVAL_MS,
      leaseMs: e.JOB_LEASE_MS,
      sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    },
    allowPrivateSourceUrls: e.ALLOW_PRIVATE_SOURCE_URLS ? e.ALLOW_PRIVATE_SOURCE_URLS === "true" : authMode === "local",
    monitoring: { intervalMs: e.MONITOR_INTERVAL_MS },
  };
}
