import { z } from "zod";
import { tracesFromLangSmithRuns } from "../ingest";
import type { LangSmithClient } from "../sources";
import type { ImportPayload } from "./payload";
import type { PageWalk } from "./walk";

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
      const batch = tracesFromLangSmithRuns(page.traces.flatMap((t) => t.runs));
      yield {
        traces: batch.traces,
        rejected: batch.rejected,
        position: page.done ? null : page.resume,
        done: page.done,
      };
    }
  };
}
