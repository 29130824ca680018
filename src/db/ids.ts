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

// Random bytes are drawn a pool at a time: one getRandomValues call per id cost ~15 µs on Node,
// a tenth of a trace insert on ingest. 256 % 32 === 0, so `byte % 32` is uniform.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

function randomChars(count: number): string {
  if (poolOffset + count > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  let out = "";
  for (let i = poolOffset; i < poolOffset + count; i++) {
    out += CROCKFORD.charAt((pool[i] as number) % 32);
  }
  poolOffset += count;
  return out;
}

/** A new id such as `job_01jf3k8r2m4x9c0abcdefghjkmnpqrst`. `nowMs` lets callers use their clock. */
export function newId(kind: IdKind, nowMs: number = Date.now()): string {
  return `${prefixes[kind]}_${encodeTime(nowMs)}${randomChars(RANDOM_CHARS)}`;
}

/** Pattern of ids accepted on the wire: a short prefix and url-safe characters. */
export const ID_PATTERN = /^[a-z][a-z0-9]{0,15}_[A-Za-z0-9_-]{1,64}$/;
