import type { JobContext } from "../jobs/handlers/types";
import type { ImportState } from "./payload";
import type { ImportPlan } from "./plan";
import type { MappedPage } from "./walk";

/** Rejection reasons logged per page; the count is always complete. */
const MAX_LOGGED_REASONS = 10;

export interface PageOutcome {
  created: number;
  updated: number;
  reasons: string[];
}

function timeOf(at: string | null | undefined): number | undefined {
  const ms = at ? Date.parse(at) : Number.NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Share of the walk done, in [0, 1]. No source reports a total, but each walks start times in
 * ascending order up to a known end, so the latest start reached against the span is an estimate;
 * with a limit, the share of the limit stored is another (the larger wins).
 */
export function walkFraction(state: ImportState, plan: ImportPlan, page: MappedPage, limit: number | null): number {
  const latest = Math.max(...page.traces.map((t) => timeOf(t.started_at) ?? Number.NEGATIVE_INFINITY));
  const lower = timeOf(state.first_at) ?? timeOf(plan.span.from);
  const upper = timeOf(plan.span.to);
  let fraction = 0;
  if (lower !== undefined && upper !== undefined && upper > lower && Number.isFinite(latest)) {
    fraction = (latest - lower) / (upper - lower);
  }
  if (limit !== null) {
    fraction = Math.max(fraction, (state.counts.imported + state.counts.updated) / limit);
  }
  return Math.min(1, Math.max(0, fraction));
}

/** Progress (traces take 0–90 % when scores follow, else 0–99 %; completion sets 100) and one log line per page. */
export async function reportPage(
  jobCtx: JobContext,
  input: { state: ImportState; plan: ImportPlan; page: MappedPage; outcome: PageOutcome; limit: number | null },
): Promise<void> {
  const { state, plan, page, outcome } = input;
  const ceiling = plan.scores ? 90 : 99;
  const fraction = state.phase === "traces" ? walkFraction(state, plan, page, input.limit) : 1;
  const pages = state.counts.pages;
  const estimate =
    fraction > 0 && state.phase === "traces" ? ` of ~${Math.max(pages, Math.ceil(pages / fraction))}` : "";
  const stored = outcome.created + outcome.updated;
  const message =
    `Page ${pages}${estimate}: ${stored} traces stored (${outcome.created} new, ${outcome.updated} updated), ` +
    `${outcome.reasons.length} rejected${state.limit_reached ? "; limit reached" : ""}`;
  await jobCtx.progress(Math.floor(fraction * ceiling), message);
  if (outcome.reasons.length > 0) {
    await jobCtx.log("warn", `Page ${pages}: ${outcome.reasons.length} items rejected`, {
      reasons: outcome.reasons.slice(0, MAX_LOGGED_REASONS),
    });
  }
}
