import { z } from "zod";
import { tracesFromLangSmithRuns } from "../ingest";
import type { LangSmithClient, RawObject } from "../sources";
import type { ImportPayload } from "./payload";
import type { PageWalk } from "./walk";

/**
 * The v2 runs query has no `parent_run_id` select, only `parent_run_ids` (ancestors, root first),
 * while the adapter links spans by `parent_run_id`: the direct parent is the last ancestor.
 */
export function withDirectParent(run: RawObject): RawObject {
  const ancestors = run.parent_run_ids;
  if (run.parent_run_id !== undefined || !Array.isArray(ancestors) || ancestors.length === 0) {
    return run;
  }
  const parent = ancestors.at(-1);
  return typeof parent === "string" ? { ...run, parent_run_id: parent } : run;
}

const LangSmithResume = z.object({ api: z.enum(["v2", "v1"]), cursor: z.string().nullable() });

/**
 * Root runs of the window (v2 runs query, v1 on servers without it), each with every run of its
 * trace, so a page holds whole span trees.
 */
export function langSmithWalk(
  client: LangSmithClient,
  projectId: string,
  payload: ImportPayload,
  window: { from: string; to: string },
): PageWalk {
  const query = {
    projectId,
    minStartTime: window.from,
    maxStartTime: window.to,
    pageSize: payload.page_size ?? undefined,
  };
  return async function* (from) {
    const saved = LangSmithResume.safeParse(from);
    for await (const page of client.traces(query, saved.success ? saved.data : undefined)) {
      const batch = tracesFromLangSmithRuns(page.traces.flatMap((t) => t.runs.map(withDirectParent)));
      yield {
        traces: batch.traces,
        rejected: batch.rejected,
        position: page.done ? null : page.resume,
        done: page.done,
      };
    }
  };
}
