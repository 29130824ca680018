import { and, eq, inArray } from "drizzle-orm";
import { assignIngestedTraces } from "../agents";
import type { Ctx } from "../context";
import { queryInChunks } from "../db/chunk";
import { newId } from "../db/ids";
import { type NewTrace, traces } from "../db/schema";
import type { TraceSource } from "../db/schema/enums";
import type { AppError, ErrorCode } from "../errors";
import { scheduleAutoExecution } from "../evals";
import { type PreparedTrace, prepareTraces, systemPromptColumn, traceColumns } from "./document";
import { groupBySize, traceKey } from "./internal";
import { readStoredDocuments } from "./load";
import { type CanonicalTrace, mergeTraces } from "./model";
import {
  deleteChunksStatement,
  insertChunkStatements,
  insertTraceStatements,
  runBatch,
  updateTraceStatement,
  type WriteStatement,
} from "./writes";

export interface StoreTracesInput {
  traces: CanonicalTrace[];
  /** The integration the traces were pulled through; undefined keeps a re-imported trace's current one. */
  integrationId?: string | null;
}

export interface StoredTraceRef {
  id: string;
  external_id: string;
  source: TraceSource;
  /** False when the trace already existed and was merged with what was stored. */
  created: boolean;
}

export interface RejectedTrace {
  external_id: string;
  source: TraceSource;
  code: ErrorCode;
  reason: string;
}

export interface StoreTracesResult {
  stored: StoredTraceRef[];
  rejected: RejectedTrace[];
}

// Optimistic writes: a trace changed by someone else between our read and our write is merged again.
const MAX_ATTEMPTS = 5;
// One db.batch per group: atomic per trace either way, and D1 batches stay a sensible size.
const TRACES_PER_BATCH = 100;
const BYTES_PER_BATCH = 8 * 1024 * 1024;

/** One document per (source, external id): duplicates inside a batch are merged in arrival order. */
function dedupe(list: readonly CanonicalTrace[]): CanonicalTrace[] {
  const byKey = new Map<string, CanonicalTrace>();
  for (const trace of list) {
    const key = traceKey(trace);
    const seen = byKey.get(key);
    byKey.set(key, seen ? mergeTraces(seen, trace) : trace);
  }
  return [...byKey.values()];
}

/** Ids of the traces among `list` that the workspace already has, by (source, external id). */
async function findExisting(ctx: Ctx, list: readonly CanonicalTrace[]): Promise<Map<string, string>> {
  const bySource = new Map<TraceSource, string[]>();
  for (const t of list) {
    const ids = bySource.get(t.source);
    if (ids) {
      ids.push(t.external_id);
    } else {
      bySource.set(t.source, [t.external_id]);
    }
  }
  const found = new Map<string, string>();
  for (const [source, externalIds] of bySource) {
    const rows = await queryInChunks(externalIds, (chunk) =>
      ctx.db
        .select({ id: traces.id, externalId: traces.externalId })
        .from(traces)
        .where(
          and(eq(traces.workspaceId, ctx.workspaceId), eq(traces.source, source), inArray(traces.externalId, chunk)),
        ),
    );
    for (const row of rows) {
      found.set(traceKey({ source, external_id: row.externalId }), row.id);
    }
  }
  return found;
}

function groupForBatches<T extends { prepared: PreparedTrace }>(items: readonly T[]): T[][] {
  return groupBySize(items, (item) => item.prepared.bytes, BYTES_PER_BATCH, TRACES_PER_BATCH);
}

/** What one storage attempt did with each trace. */
interface Outcome {
  stored: StoredTraceRef[];
  rejected: RejectedTrace[];
  /** Traces changed by someone else meanwhile: merged again on the next attempt. */
  retry: CanonicalTrace[];
  /** The system prompt column of each stored trace, for template matching without reading it back. */
  prompts: { id: string; systemPrompt: string | null }[];
}

function rejectTrace(outcome: Outcome, trace: CanonicalTrace, error: AppError): void {
  outcome.rejected.push({
    external_id: trace.external_id,
    source: trace.source,
    code: error.code,
    reason: error.message,
  });
}

function storedTrace(
  outcome: Outcome,
  id: string,
  item: { trace: CanonicalTrace; prepared: PreparedTrace },
  created: boolean,
) {
  outcome.stored.push({ id, external_id: item.trace.external_id, source: item.trace.source, created });
  outcome.prompts.push({ id, systemPrompt: systemPromptColumn(item.prepared) });
}

function prepareAll<T extends { trace: CanonicalTrace }>(ctx: Ctx, items: T[], outcome: Outcome) {
  const all = prepareTraces(
    items.map((item) => item.trace),
    { maxBytes: ctx.deps.config.maxTraceBytes, sha256Hex: ctx.deps.sha256Hex },
  );
  const ready: (T & { prepared: PreparedTrace })[] = [];
  items.forEach((item, i) => {
    const prepared = all[i];
    if (prepared instanceof Error) {
      rejectTrace(outcome, item.trace, prepared);
    } else if (prepared) {
      ready.push({ ...item, prepared });
    }
  });
  return ready;
}

/** New traces: INSERT … ON CONFLICT DO NOTHING; one that a concurrent writer created first is retried as an update. */
async function insertNew(ctx: Ctx, list: CanonicalTrace[], integrationId: string | null, outcome: Outcome) {
  const now = ctx.deps.clock.now();
  const at = now.toISOString();
  const items = list.map((trace) => ({ trace, id: newId("trace", now.getTime()) }));
  for (const group of groupForBatches(prepareAll(ctx, items, outcome))) {
    const rows: NewTrace[] = group.map(({ id, trace, prepared }) => ({
      id,
      workspaceId: ctx.workspaceId,
      integrationId,
      source: trace.source,
      externalId: trace.external_id,
      importedAt: at,
      ...traceColumns(prepared, at),
    }));
    const inserts = insertTraceStatements(ctx, rows);
    const results = await runBatch(ctx, [...inserts, ...insertChunkStatements(ctx, group)]);
    const inserted = new Set(results.slice(0, inserts.length).flatMap((r) => (r as { id: string }[]).map((x) => x.id)));
    for (const item of group) {
      if (inserted.has(item.id)) {
        storedTrace(outcome, item.id, item, true);
      } else {
        outcome.retry.push(item.trace);
      }
    }
  }
}

/** Known traces: merge into the stored document and write it if the row still holds what was read. */
async function mergeExisting(
  ctx: Ctx,
  list: { id: string; trace: CanonicalTrace }[],
  integrationId: string | null | undefined,
  outcome: Outcome,
) {
  const docs = await readStoredDocuments(
    ctx,
    list.map((item) => item.id),
  );
  const merged: { id: string; trace: CanonicalTrace; incoming: CanonicalTrace; readSha: string | null }[] = [];
  for (const { id, trace } of list) {
    const doc = docs.get(id);
    if (!doc) {
      outcome.retry.push(trace); // deleted since we looked: store it as new
      continue;
    }
    merged.push({ id, incoming: trace, readSha: doc.sha256, trace: mergeTraces(doc.trace, trace) });
  }
  const at = ctx.deps.clock.now().toISOString();
  for (const group of groupForBatches(prepareAll(ctx, merged, outcome))) {
    const changed = group.filter((item) => item.prepared.sha256 !== item.readSha);
    const updates: WriteStatement[] = changed.map(({ id, readSha, prepared }) =>
      updateTraceStatement(ctx, id, readSha, {
        ...traceColumns(prepared, at),
        ...(integrationId !== undefined ? { integrationId } : {}),
      }),
    );
    const deletes = changed.map(({ id, prepared }) => deleteChunksStatement(ctx, id, prepared.sha256));
    const results = await runBatch(ctx, [...updates, ...deletes, ...insertChunkStatements(ctx, changed)]);
    const written = new Set(results.slice(0, updates.length).flatMap((r) => (r as { id: string }[]).map((x) => x.id)));
    for (const item of group) {
      if (item.prepared.sha256 === item.readSha || written.has(item.id)) {
        storedTrace(outcome, item.id, item, false);
      } else {
        outcome.retry.push(item.incoming);
      }
    }
  }
}

/**
 * Stores traces losslessly, one row per (workspace, source, external id): a trace seen before is
 * merged into the stored document (`mergeTraces`) and keeps its id, so its labels stay. Each trace
 * is written atomically and concurrent writers of the same trace both end up merged. A trace over
 * `config.maxTraceBytes` when encoded is rejected (PAYLOAD_TOO_LARGE) and the others are stored.
 * Stored traces are then matched to agent versions by their system prompt.
 * @throws CorruptTracePayloadError when a stored document to merge into is damaged.
 */
export async function storeTraces(ctx: Ctx, input: StoreTracesInput): Promise<StoreTracesResult> {
  const stored: StoredTraceRef[] = [];
  const rejected: RejectedTrace[] = [];
  const prompts: Outcome["prompts"] = [];
  let pending = dedupe(input.traces);
  for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
    const existing = await findExisting(ctx, pending);
    const outcome: Outcome = { stored: [], rejected: [], retry: [], prompts: [] };
    const known = pending.flatMap((trace) => {
      const id = existing.get(traceKey(trace));
      return id ? [{ id, trace }] : [];
    });
    await insertNew(
      ctx,
      pending.filter((trace) => !existing.has(traceKey(trace))),
      input.integrationId ?? null,
      outcome,
    );
    await mergeExisting(ctx, known, input.integrationId, outcome);
    stored.push(...outcome.stored);
    rejected.push(...outcome.rejected);
    prompts.push(...outcome.prompts);
    pending = outcome.retry;
  }
  for (const trace of pending) {
    rejected.push({
      external_id: trace.external_id,
      source: trace.source,
      code: "INVALID_STATE",
      reason: `The trace changed concurrently ${MAX_ATTEMPTS} times while being stored; send it again`,
    });
  }
  if (stored.length > 0) {
    await assignIngestedTraces(ctx, prompts);
    await scheduleAutoExecution(
      ctx,
      stored.map((s) => s.id),
    );
  }
  return { stored, rejected };
}
