import type { z } from "zod";
import { validationError } from "../../errors";
import { type CanonicalTrace, extentOf, mergeTraces, orderSpans } from "../../traces/model";
import { isObject } from "../common/json";
import { batchOf, failed, type IngestResult, okResult, type RejectedItem, reasonOf } from "../common/result";
import { UploadTrace } from "./schema";

/** Most traces one upload may hold; the body size limit usually bites first. */
export const MAX_UPLOAD_TRACES = 10_000;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "(document)"}: ${issue.message}`)
    .join("; ");
}

function spansIn(raw: unknown): number {
  return isObject(raw) && Array.isArray(raw.spans) ? raw.spans.length : 0;
}

function toCanonical(upload: UploadTrace): CanonicalTrace {
  const spans = orderSpans(upload.spans);
  const extent = extentOf(spans);
  return {
    ...upload,
    source: "upload",
    started_at: upload.started_at ?? extent.startedAt,
    ended_at: upload.ended_at ?? extent.endedAt,
    spans,
  };
}

/** Validate documents one by one; the same external id twice is merged (upsert), not duplicated. */
function collect(items: readonly { raw: unknown; path: string }[], rejected: RejectedItem[]): IngestResult {
  const traces = new Map<string, CanonicalTrace>();
  for (const { raw, path } of items) {
    const parsed = UploadTrace.safeParse(raw);
    if (!parsed.success) {
      rejected.push({ path, reason: describeIssues(parsed.error), spans: spansIn(raw) });
      continue;
    }
    const trace = toCanonical(parsed.data);
    const existing = traces.get(trace.external_id);
    traces.set(trace.external_id, existing ? mergeTraces(existing, trace) : trace);
  }
  return okResult(batchOf([...traces.values()], rejected));
}

function tooMany(count: number) {
  return failed(validationError(`An upload holds at most ${MAX_UPLOAD_TRACES} traces, this one has ${count}`));
}

/**
 * A JSON upload: one trace document, an array of them, or `{ "traces": [...] }`.
 * Never throws: invalid JSON is `ok: false`; invalid documents are rejected one by one as `[index]`.
 */
export function parseUploadJson(text: string): IngestResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    return failed(validationError(`Upload is not valid JSON: ${reasonOf(error)}`));
  }
  const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.traces) ? body.traces : null;
  if (list === null) {
    return collect([{ raw: body, path: "(document)" }], []);
  }
  if (list.length > MAX_UPLOAD_TRACES) {
    return tooMany(list.length);
  }
  return collect(
    list.map((raw, i) => ({ raw, path: `[${i}]` })),
    [],
  );
}

/** A JSONL upload: one trace document per line; blank lines are skipped, a bad line is rejected as `line N`. */
export function parseUploadJsonl(text: string): IngestResult {
  const items: { raw: unknown; path: string }[] = [];
  const rejected: RejectedItem[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") {
      continue;
    }
    if (items.length + rejected.length >= MAX_UPLOAD_TRACES) {
      return tooMany(lines.filter((l) => l.trim() !== "").length);
    }
    try {
      items.push({ raw: JSON.parse(line), path: `line ${i + 1}` });
    } catch (error) {
      rejected.push({ path: `line ${i + 1}`, reason: `not valid JSON: ${reasonOf(error)}`, spans: 0 });
    }
  }
  return collect(items, rejected);
}
