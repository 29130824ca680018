import { and, eq, inArray } from "drizzle-orm";
import { assignIngestedTraces } from "../agents";
import type { Ctx } from "../context";
import { queryInChunks } from "../db/chunk";
import { newId } from "../db/ids";
import { type NewTrace, traces } from "../db/schema";
import type { TraceSource } from "../db/schema/enums";
import type { AppError, ErrorCode } from "../errors";
import { scheduleAutoExecution } from "../evals";
import {
  type PreparedTrace,
  prepareTraces,
  rowDraftOf,
  type TraceRowDraft,
  traceColumns,
  traceOfDraft,
} from "./document";
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
async function findExisting(
  ctx: Ctx,
  list: readonly { source: TraceSource; external_id: string }[],
): Promise<Map<string, string>> {
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

const keyOfDraft = (draft: TraceRowDraft) => ({ source: draft.source, external_id: draft.externalId });

/** What one storage attempt did with each trace. */
interface Outcome {
  stored: StoredTraceRef[];
  rejected: RejectedTrace[];
  /** Traces changed by someone else meanwhile: merged again on the next attempt. */
  retry: CanonicalTrace[];
  /** The system prompt column of each stored trace, for template matching without reading it back. */
  prompts: StoredPrompt[];
}

function rejectTrace(outcome: Outcome, trace: CanonicalTrace, error: AppError): void {
  outcome.rejected.push({
    external_id: trace.external_id,
    source: trace.source,
    code: error.code,
    reason: error.message,
  });
}

function storedTrace(outcome: Outcome, id: string, draft: TraceRowDraft, created: boolean) {
  outcome.stored.push({ id, external_id: draft.externalId, source: draft.source, created });
  outcome.prompts.push({ id, systemPrompt: draft.columns.systemPrompt ?? null });
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

/**
 * INSERT … ON CONFLICT DO NOTHING of new rows, in batches; returns the ids actually inserted (one
 * that a concurrent writer created first is not).
 */
async function insertDrafts(
  ctx: Ctx,
  items: readonly { id: string; draft: TraceRowDraft }[],
  integrationId: string | null,
  at: string,
): Promise<Set<string>> {
  const inserted = new Set<string>();
  const groups = groupBySize(items, (item) => item.draft.columns.payloadBytes ?? 0, BYTES_PER_BATCH, TRACES_PER_BATCH);
  for (const group of groups) {
    const rows: NewTrace[] = group.map(({ id, draft }) => ({
      id,
      workspaceId: ctx.workspaceId,
      integrationId,
      source: draft.source,
      externalId: draft.externalId,
      importedAt: at,
      ...draft.columns,
      updatedAt: at,
    }));
    const inserts = insertTraceStatements(ctx, rows);
    const payloads = group.map(({ id, draft }) => ({ id, chunks: draft.chunks, sha256: draft.sha256 }));
    const results = await runBatch(ctx, [...inserts, ...insertChunkStatements(ctx, payloads)]);
    for (const result of results.slice(0, inserts.length)) {
      for (const row of result as { id: string }[]) {
        inserted.add(row.id);
      }
    }
  }
  return inserted;
}

/** New traces; one that a concurrent writer created first is retried as an update. */
async function insertNew(ctx: Ctx, list: CanonicalTrace[], integrationId: string | null, outcome: Outcome) {
  const now = ctx.deps.clock.now();
  const items = prepareAll(
    ctx,
    list.map((trace) => ({ trace })),
    outcome,
  ).map(({ trace, prepared }) => ({ trace, id: newId("trace", now.getTime()), draft: rowDraftOf(prepared) }));
  const inserted = await insertDrafts(ctx, items, integrationId, now.toISOString());
  for (const item of items) {
    if (inserted.has(item.id)) {
      storedTrace(outcome, item.id, item.draft, true);
    } else {
      outcome.retry.push(item.trace);
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
  const ready = prepareAll(ctx, merged, outcome);
  for (const group of groupBySize(ready, (item) => item.prepared.bytes, BYTES_PER_BATCH, TRACES_PER_BATCH)) {
    const changed = group.filter((item) => item.prepared.sha256 !== item.readSha);
    const updates: WriteStatement[] = changed.map(({ id, readSha, prepared }) =>
      updateTraceStatement(ctx, id, readSha, {
        ...traceColumns(prepared, at),
        ...(integrationId !== undefined ? { integrationId } : {}),
      }),
    );
    const deletes = changed.map(({ id, prepared }) => deleteChunksStatement(ctx, id, prepared.sha256));
    const payloads = changed.map(({ id, prepared }) => ({ id, chunks: prepared.chunks, sha256: prepared.sha256 }));
    const results = await runBatch(ctx, [...updates, ...deletes, ...insertChunkStatements(ctx, payloads)]);
    const written = new Set(results.slice(0, updates.length).flatMap((r) => (r as { id: string }[]).map((x) => x.id)));
    for (const item of group) {
      if (item.prepared.sha256 === item.readSha || written.has(item.id)) {
        storedTrace(outcome, item.id, rowDraftOf(item.prepared), false);
      } else {
        outcome.retry.push(item.incoming);
      }
    }
  }
}

/** The system prompt column of a stored trace: what template matching reads. */
export interface StoredPrompt {
  id: string;
  systemPrompt: string | null;
}

/** What a write did, before the steps that follow storage (template matching, auto-execution). */
export interface WriteTracesResult extends StoreTracesResult {
  prompts: StoredPrompt[];
}

/**
 * The writing half of {@link storeTraces}: every trace stored, merged or rejected, without the
 * steps that follow. Callers that write in several parts run {@link afterTracesStored} once at the end.
 */
export async function writeTraces(ctx: Ctx, input: StoreTracesInput): Promise<WriteTracesResult> {
  const result: WriteTracesResult = { stored: [], rejected: [], prompts: [] };
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
    // A slice at a time: stored documents are read, merged and re-encoded on this thread, so a large
    // re-import neither holds them all in memory nor keeps the event loop for all of them at once.
    for (let i = 0; i < known.length; i += TRACES_PER_BATCH) {
      await mergeExisting(ctx, known.slice(i, i + TRACES_PER_BATCH), input.integrationId, outcome);
    }
    result.stored.push(...outcome.stored);
    result.rejected.push(...outcome.rejected);
    result.prompts.push(...outcome.prompts);
    pending = outcome.retry;
  }
  for (const trace of pending) {
    result.rejected.push({
      external_id: trace.external_id,
      source: trace.source,
      code: "INVALID_STATE",
      reason: `The trace changed concurrently ${MAX_ATTEMPTS} times while being stored; send it again`,
    });
  }
  return result;
}

/**
 * Writes traces prepared elsewhere (another thread) as they are: the ones the workspace does not have
 * yet are inserted without touching their documents again; the others (already stored, or created
 * concurrently meanwhile) are read back from their payload and merged by {@link writeTraces}.
 */
export async function writePreparedTraces(
  ctx: Ctx,
  drafts: readonly TraceRowDraft[],
  integrationId?: string | null,
): Promise<WriteTracesResult> {
  const existing = await findExisting(ctx, drafts.map(keyOfDraft));
  const now = ctx.deps.clock.now();
  const fresh = drafts
    .filter((draft) => !existing.has(traceKey(keyOfDraft(draft))))
    .map((draft) => ({ id: newId("trace", now.getTime()), draft }));
  const inserted = await insertDrafts(ctx, fresh, integrationId ?? null, now.toISOString());
  const outcome: Outcome = { stored: [], rejected: [], retry: [], prompts: [] };
  for (const { id, draft } of fresh) {
    if (inserted.has(id)) {
      storedTrace(outcome, id, draft, true);
    }
  }
  const insertedDrafts = new Set(fresh.filter(({ id }) => inserted.has(id)).map(({ draft }) => draft));
  const rest = drafts.filter((draft) => !insertedDrafts.has(draft)).map(traceOfDraft);
  const merged = rest.length > 0 ? await writeTraces(ctx, { traces: rest, integrationId }) : undefined;
  return {
    stored: [...outcome.stored, ...(merged?.stored ?? [])],
    rejected: merged?.rejected ?? [],
    prompts: [...outcome.prompts, ...(merged?.prompts ?? [])],
  };
}

/** What follows storage: traces matched to agent versions by system prompt, then auto-executed evals scheduled. */
export async function afterTracesStored(ctx: Ctx, written: WriteTracesResult): Promise<void> {
  if (written.stored.length === 0) {
    return;
  }
  await assignIngestedTraces(ctx, written.prompts);
  await scheduleAutoExecution(
    ctx,
    written.stored.map((s) => s.id),
  );
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
  const written = await writeTraces(ctx, input);
  await afterTracesStored(ctx, written);
  return { stored: written.stored, rejected: written.rejected };
}
