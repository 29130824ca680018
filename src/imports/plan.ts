import { AppError } from "../errors";
import type { SourceClient } from "../integrations";
import type { LangfuseClient } from "../sources";
import type { CanonicalTrace } from "../traces/model";
import type { ImportPayload } from "./payload";
import type { MappedPage, PageWalk } from "./walk";
import { langfuseWalk } from "./walk-langfuse";
import { langSmithWalk } from "./walk-langsmith";
import { openAIWalk } from "./walk-openai";

/**
 * The next window starts this far before the last one ended: sources index late (Langfuse's page
 * APIs lag up to ~10 minutes), and re-reading a few traces only updates them.
 */
export const SYNC_OVERLAP_MS = 10 * 60_000;

/** How the trace walk ended: at the source's end, or cut by the limit (`dropped` were not stored). */
export interface WalkEnd {
  lastPage: MappedPage | null;
  kept: readonly CanonicalTrace[];
  dropped: readonly CanonicalTrace[];
}

export interface ImportPlan {
  walk: PageWalk;
  /** Bounds of the progress estimate: traces' start times run from `from` to `to`. */
  span: { from: string | null; to: string };
  /** The integration's next sync cursor (high-water mark) once the walk has ended. */
  nextSync(end: WalkEnd): Record<string, unknown>;
  /** Set when Langfuse scores are to become labels after the traces. */
  scores: { client: LangfuseClient; name: string | undefined; window: { from: string; to: string } } | null;
}

function windowOf(payload: ImportPayload): { from: string; to: string } {
  if (payload.start.kind !== "window") {
    throw new AppError("VALIDATION_ERROR", "This integration imports by time window, but the job has no window");
  }
  return payload.start;
}

const starts = (traces: readonly CanonicalTrace[]) =>
  traces.map((t) => t.started_at).filter((at): at is string => at !== null);

/**
 * Langfuse and LangSmith walk start times in ascending order, so after a limit cut everything
 * before the earliest dropped trace is stored; without a cut, the next window starts where this
 * one ended, less the overlap. Sources filter `>= from`, so the boundary trace is read again.
 */
function windowSync(window: { from: string; to: string }) {
  return (end: WalkEnd): Record<string, unknown> => {
    if (end.dropped.length === 0 && (end.lastPage === null || end.lastPage.done)) {
      const to = Date.parse(window.to) - SYNC_OVERLAP_MS;
      return { from: new Date(Math.max(to, Date.parse(window.from))).toISOString() };
    }
    const highWater = end.dropped.length > 0 ? starts(end.dropped).sort()[0] : starts(end.kept).sort().at(-1);
    return { from: highWater ?? window.from };
  };
}

/** The walk and sync rules of the integration's platform. */
export async function planImport(source: SourceClient, payload: ImportPayload): Promise<ImportPlan> {
  switch (source.platform) {
    case "langfuse": {
      const window = windowOf(payload);
      const scores = payload.import_scores_as_labels ? { client: source.client, name: source.scoreName, window } : null;
      const walk = langfuseWalk(source.client, payload, window);
      return { walk, span: window, nextSync: windowSync(window), scores };
    }
    case "langsmith": {
      const window = windowOf(payload);
      const projectId = await source.client.resolveProjectId(source.project);
      const walk = langSmithWalk(source.client, projectId, payload, window);
      return { walk, span: window, nextSync: windowSync(window), scores: null };
    }
    case "openai": {
      if (payload.start.kind !== "after") {
        throw new AppError("VALIDATION_ERROR", "OpenAI imports resume after a completion id, but the job has none");
      }
      const { after, until } = payload.start;
      const nextSync = (end: WalkEnd) => {
        const position = end.lastPage?.position as { after?: string | null } | null | undefined;
        const last = end.dropped.length > 0 ? end.kept.at(-1)?.external_id : undefined;
        return { after: last ?? position?.after ?? after };
      };
      return {
        walk: openAIWalk(source.client, { ...source.filters, limit: payload.page_size ?? undefined }, after),
        span: { from: null, to: until },
        nextSync,
        scores: null,
      };
    }
  }
}
