import type { EvalErrorKind, EvalFailure, SandboxLimits } from "./types";

/** What an error thrown inside the VM looked like, as read by the prelude's `describe`. */
export interface ThrowRecord {
  t: "throw";
  isError: boolean;
  name: string;
  message: string;
  stack: string;
}

/** The tagged records the prelude's `call` returns (see src/sandbox/prelude.ts). */
export type CallRecord =
  | { t: "ok"; pass: boolean; score: number | null; reason: string }
  | { t: "invalid"; message: string }
  | { t: "too_large"; length: number }
  | ThrowRecord;

export interface EvalVerdict {
  pass: boolean;
  score: number | null;
  reason: string;
}

const truncatedReasonMarker = "…[truncated]";

/** Reads a record from the VM without trusting it: anything off-shape is `undefined`. */
export function parseCallRecord(text: string | undefined): CallRecord | undefined {
  if (text === undefined) {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) {
    return undefined;
  }
  const r = value as Record<string, unknown>;
  switch (r.t) {
    case "ok":
      return typeof r.pass === "boolean" && isScore(r.score) && typeof r.reason === "string"
        ? { t: "ok", pass: r.pass, score: r.score, reason: r.reason }
        : undefined;
    case "invalid":
      return typeof r.message === "string" ? { t: "invalid", message: r.message } : undefined;
    case "too_large":
      return typeof r.length === "number" ? { t: "too_large", length: r.length } : undefined;
    case "throw":
      return typeof r.isError === "boolean" && isText(r.name) && isText(r.message) && isText(r.stack)
        ? { t: "throw", isError: r.isError, name: r.name, message: r.message, stack: r.stack }
        : undefined;
    default:
      return undefined;
  }
}

function isScore(v: unknown): v is number | null {
  return v === null || (typeof v === "number" && Number.isFinite(v) && v >= 0 && v <= 1);
}

function isText(v: unknown): v is string {
  return typeof v === "string";
}

/** Applies the reason cap: long reasons are kept but cut and marked. */
export function toVerdict(record: { pass: boolean; score: number | null; reason: string }, limits: SandboxLimits) {
  const reason =
    record.reason.length > limits.reasonChars
      ? `${record.reason.slice(0, limits.reasonChars)}${truncatedReasonMarker}`
      : record.reason;
  return { pass: record.pass, score: record.score, reason } satisfies EvalVerdict;
}

// QuickJS raises resource exhaustion as InternalError with fixed texts from quickjs.c; those texts
// are the only code the engine gives them, so they are matched exactly and nowhere else.
const engineErrors: Record<string, EvalErrorKind | undefined> = {
  "stack overflow": "stack",
  "out of memory": "memory",
  "string too long": "memory",
};

/** `phase` says whether the eval's module body or `evaluate(trace)` threw. */
export function classifyThrow(record: ThrowRecord, phase: "load" | "call", limits: SandboxLimits): EvalFailure {
  const engineKind = record.isError && record.name === "InternalError" ? engineErrors[record.message] : undefined;
  if (engineKind === "stack") {
    return { kind: "stack", message: `stack overflow: recursion exceeded the ${kib(limits.stackBytes)} stack limit` };
  }
  if (engineKind === "memory") {
    return memoryError(limits);
  }
  if (!record.isError) {
    const what = phase === "load" ? "the eval module" : "evaluate";
    return { kind: "runtime", message: `${what} threw a non-Error value: ${record.message}` };
  }
  const kind = phase === "load" && record.name === "SyntaxError" ? "syntax" : "runtime";
  const head = `${record.name}: ${record.message}`;
  const stack = withoutPreludeFrames(record.stack);
  return { kind, message: stack ? `${head}\n${stack}` : head };
}

/** The prelude's own frames say nothing to an eval's author. */
function withoutPreludeFrames(stack: string): string {
  return stack
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.includes("(prelude.js:"))
    .join("\n");
}

export function memoryError(limits: SandboxLimits): EvalFailure {
  return { kind: "memory", message: `out of memory: the eval exceeded its ${kib(limits.memoryBytes)} memory limit` };
}

export function timeoutError(limits: SandboxLimits, byWallClock: boolean): EvalFailure {
  const budget = byWallClock ? `wall-clock limit of ${limits.maxWallMs} ms` : `CPU budget of ${limits.maxTicks} ticks`;
  return { kind: "timeout", message: `timed out: the eval exceeded its ${budget}` };
}

export function outputTooLarge(length: number, limits: SandboxLimits): EvalFailure {
  return {
    kind: "output_too_large",
    message: `result.reason has ${length} characters; the limit is ${limits.outputChars}`,
  };
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}
