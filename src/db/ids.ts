// Readable prefix + time-sortable head + random tail: ids sort by creation time (like ULIDs),
// which keeps cursor pagination and B-tree inserts in order.
const prefixes = {
  user: "user",
  workspace: "ws",
  member: "mem",
  apiKey: "key",
  job: "job",
  retry: "retry",
  integration: "int",
  trace: "trace",
  span: "span",
  feedback: "fb",
  feedbackHistory: "fbh",
  agent: "agent",
  agentVersion: "ver",
  tool: "tool",
  function: "fn",
  eval: "eval",
  evalExecution: "exec",
  evalCandidate: "cand",
  evalCandidateExecution: "cexec",
  taskset: "tsk",
  task: "task",
  tasksetRun: "run",
  tasksetRunResult: "rr",
  gepaRun: "gepa",
  gepaRunTask: "grt",
  playgroundSession: "sess",
  snapshot: "snap",
  alert: "alert",
} as const;

export type IdKind = keyof typeof prefixes;

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";
const TIME_CHARS = 10; // 50 bits of milliseconds: good until the year 37,000
const RANDOM_CHARS = 16; // 80 random bits

function encodeTime(ms: number): string {
  let out = "";
  let rest = ms;
  for (let i = 0; i < TIME_CHARS; i++) {
    out = CROCKFORD.charAt(rest % 32) + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function randomChars(count: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(count));
  let out = "";
  for (const byte of bytes) {
    out += CROCKFORD.charAt(byte % 32);
  }
  return out;
}

/** A new id such as `job_01jf3k8r2m4x9c0abcdefghjkmnpqrst`. `nowMs` lets callers use their clock. */
export function newId(kind: IdKind, nowMs: number = Date.now()): string {
  return `${prefixes[kind]}_${encodeTime(nowMs)}${randomChars(RANDOM_CHARS)}`;
}

/** Pattern of ids accepted on the wire: a short prefix and url-safe characters. */
export const ID_PATTERN = /^[a-z][a-z0-9]{0,15}_[A-Za-z0-9_-]{1,64}$/;
