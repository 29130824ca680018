import { z } from "zod";
import { traceFromLangfuseTrace, tracesFromLangfuseObservations } from "../ingest";
import type { LangfuseClient, LangfuseObservationsQuery, LangfusePage } from "../sources";
import type { CanonicalTrace } from "../traces/model";
import type { ImportPayload } from "./payload";
import type { MappedPage, PageWalk } from "./walk";

const LangfuseResume = z.object({
  /** Index into the user ids: the legacy and v2 APIs take one user per query, so each gets its own walk. */
  segment: z.number().int().min(0),
  walk: z
    .discriminatedUnion("api", [
      z.object({ api: z.literal("v2"), cursor: z.string().nullable() }),
      z.object({ api: z.literal("legacy"), page: z.number().int().min(1) }),
    ])
    .nullable(),
});

/**
 * A v2 page holds observations in start-time order, so one trace can straddle pages (and import
 * windows). Each page's part is stored and merged into the stored trace by `storeTraces`; the
 * adapter makes an observation whose parent is not on the page a root, so the real parent is put
 * back here, and the merged tree is whole once the parent's page is stored. A parent that never
 * arrives leaves a dangling link, which the trace model reads as a root.
 */
export function keepCrossPageParents(trace: CanonicalTrace): CanonicalTrace {
  for (const span of trace.spans) {
    const parent = span.attributes.parentObservationId;
    if (
      span.parent_span_id === null &&
      span.attributes.isRootObservation !== true &&
      typeof parent === "string" &&
      parent !== "" &&
      parent !== span.span_id
    ) {
      span.parent_span_id = parent;
    }
  }
  return trace;
}

function mapPage(page: LangfusePage): Pick<MappedPage, "traces" | "rejected"> {
  if (page.api === "v2") {
    const batch = tracesFromLangfuseObservations(page.observations);
    return { traces: batch.traces.map(keepCrossPageParents), rejected: batch.rejected };
  }
  const out: Pick<MappedPage, "traces" | "rejected"> = { traces: [], rejected: [] };
  page.traces.forEach(({ trace, observations }, i) => {
    const batch = traceFromLangfuseTrace(trace, observations);
    out.traces.push(...batch.traces);
    out.rejected.push(...batch.rejected.map((r) => ({ ...r, path: `traces[${i}].${r.path}` })));
  });
  return out;
}

/** Observations (v2, or legacy traces on servers without v2) of the window, one walk per user id. */
export function langfuseWalk(client: LangfuseClient, payload: ImportPayload, window: { from: string; to: string }) {
  const users: (string | undefined)[] = payload.user_ids.length > 0 ? payload.user_ids : [undefined];
  const queryFor = (userId: string | undefined): LangfuseObservationsQuery => ({
    fromStartTime: window.from,
    toStartTime: window.to,
    userId,
    traceTags: payload.tags.length > 0 ? payload.tags : undefined,
    limit: payload.page_size ?? undefined,
  });
  const walk: PageWalk = async function* (from) {
    const saved = LangfuseResume.safeParse(from);
    const start = saved.success ? saved.data : { segment: 0, walk: null };
    for (let segment = start.segment; segment < users.length; segment++) {
      const isLast = segment === users.length - 1;
      const resumeAt = segment === start.segment ? (start.walk ?? undefined) : undefined;
      for await (const page of client.observations(queryFor(users[segment]), resumeAt)) {
        const next = isLast ? null : { segment: segment + 1, walk: null };
        yield {
          ...mapPage(page),
          position: page.done ? next : { segment, walk: page.resume },
          done: page.done && isLast,
        };
      }
    }
  };
  return walk;
}
