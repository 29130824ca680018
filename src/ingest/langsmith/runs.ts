import type { CanonicalSpan, CanonicalTrace } from "../../traces/model";
import { extentOf } from "../../traces/model";
import { isObject, stringList, stringOrNull } from "../common/json";
import { batchOf, type IngestBatch, type RejectedItem } from "../common/result";
import { runMetadata, runToSpan } from "./run";

const MAX_CHILD_DEPTH = 64;

interface RunRecord {
  id: string;
  raw: Record<string, unknown>;
}

function idOf(value: unknown): string | null {
  return typeof value === "string" && value !== "" && value.length <= 256 ? value.toLowerCase() : null;
}

/** Runs plus their nested `child_runs` (readRun with load_child_runs), deduplicated by id (later wins). */
function flattenRuns(
  runs: readonly unknown[],
  path: string,
  depth: number,
  out: Map<string, RunRecord>,
  rejected: RejectedItem[],
): void {
  runs.forEach((raw, i) => {
    const here = `${path}[${i}]`;
    const id = isObject(raw) ? idOf(raw.id) : null;
    if (!isObject(raw) || id === null) {
      rejected.push({ path: here, reason: "run must be an object with a string id", spans: 1 });
      return;
    }
    out.set(id, { id, raw });
    if (Array.isArray(raw.child_runs) && depth < MAX_CHILD_DEPTH) {
      flattenRuns(raw.child_runs, `${here}.child_runs`, depth + 1, out, rejected);
    }
  });
}

/**
 * A run's direct parent: v1 runs carry `parent_run_id`; v2 runs only `parent_run_ids` (every ancestor,
 * root first), whose last entry is the direct parent.
 */
function parentIdOf(raw: RunRecord["raw"]): string | null {
  const direct = idOf(raw.parent_run_id);
  if (direct !== null) {
    return direct;
  }
  const ancestors = raw.parent_run_ids;
  return Array.isArray(ancestors) && ancestors.length > 0 ? idOf(ancestors.at(-1)) : null;
}

/** The trace a run belongs to: its trace_id, the root uuid of its dotted_order, else its top-most ancestor here. */
function traceIdOf(run: RunRecord, runs: Map<string, RunRecord>): string {
  const explicit = idOf(run.raw.trace_id);
  if (explicit !== null) {
    return explicit;
  }
  const dotted = typeof run.raw.dotted_order === "string" ? run.raw.dotted_order.split(".")[0] : undefined;
  const fromDotted = dotted ? idOf(dotted.slice(dotted.indexOf("Z") + 1)) : null;
  if (fromDotted !== null) {
    return fromDotted;
  }
  let current = run;
  for (let hops = 0; hops < MAX_CHILD_DEPTH; hops++) {
    const parent = runs.get(parentIdOf(current.raw) ?? "");
    if (!parent) {
      break;
    }
    current = parent;
  }
  return idOf(current.raw.trace_id) ?? current.id;
}

function compareRuns(a: RunRecord, b: RunRecord, spans: Map<string, CanonicalSpan>): number {
  const da = a.raw.dotted_order;
  const db = b.raw.dotted_order;
  if (typeof da === "string" && typeof db === "string") {
    return da < db ? -1 : da > db ? 1 : 0;
  }
  const sa = spans.get(a.id)?.started_at ?? "";
  const sb = spans.get(b.id)?.started_at ?? "";
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function buildTrace(traceId: string, members: RunRecord[]): CanonicalTrace {
  const ids = new Set(members.map((m) => m.id));
  const spans = new Map<string, CanonicalSpan>();
  for (const run of members) {
    const parent = parentIdOf(run.raw);
    spans.set(
      run.id,
      runToSpan(run.raw, run.id, parent !== null && ids.has(parent) && parent !== run.id ? parent : null),
    );
  }
  // dotted_order sorts a tree depth-first in execution order; start time is the fallback.
  const ordered = [...members].sort((a, b) => compareRuns(a, b, spans)).map((m) => spans.get(m.id) as CanonicalSpan);
  const rootRun = members.find((m) => spans.get(m.id)?.parent_span_id === null)?.raw ?? {};
  const metadata = runMetadata(rootRun);
  const extent = extentOf(ordered);
  return {
    external_id: traceId,
    source: "langsmith",
    name: stringOrNull(rootRun.name),
    started_at: extent.startedAt,
    ended_at: extent.endedAt,
    input: null,
    output: null,
    spans: ordered,
    metadata: metadata as CanonicalTrace["metadata"],
    tags: stringList(rootRun.tags),
    user_id: stringOrNull(metadata.user_id),
    session_id:
      stringOrNull(rootRun.thread_id) ??
      stringOrNull(metadata.thread_id) ??
      stringOrNull(metadata.session_id) ??
      stringOrNull(metadata.conversation_id),
  };
}

/**
 * LangSmith runs (`POST /runs/query` v1 `runs`, v2 `items`, or runs with nested `child_runs`) grouped
 * into traces by trace id. A run whose parent is not in the batch becomes a root.
 */
export function tracesFromLangSmithRuns(runs: readonly unknown[]): IngestBatch {
  const rejected: RejectedItem[] = [];
  const all = new Map<string, RunRecord>();
  flattenRuns(runs, "runs", 0, all, rejected);
  const groups = new Map<string, RunRecord[]>();
  for (const run of all.values()) {
    const traceId = traceIdOf(run, all);
    const group = groups.get(traceId) ?? [];
    group.push(run);
    groups.set(traceId, group);
  }
  return batchOf(
    [...groups.entries()].map(([traceId, members]) => buildTrace(traceId, members)),
    rejected,
  );
}
