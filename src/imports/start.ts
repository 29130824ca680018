import type { Ctx } from "../context";
import type { Integration, Job } from "../db/schema";
import type { IntegrationPlatform } from "../db/schema/enums";
import { AppError, type ErrorDetail, validationError } from "../errors";
import { getIntegrationOrThrow } from "../integrations";
import { createJob, findActiveJob } from "../jobs";
import { EPOCH, type ImportPayload, type ImportStart } from "./payload";

export interface StartImportInput {
  integrationId: string;
  /** ISO-8601 instants; `dateTo` is exclusive and clamped to now. */
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
  tags?: string[] | undefined;
  userIds?: string[] | undefined;
  /** An explicit cap on traces; none means every trace of the query. */
  limit?: number | undefined;
  pageSize?: number | undefined;
  /** Langfuse only; defaults to the integration's `import_scores` config. */
  importScoresAsLabels?: boolean | undefined;
  /** Ignore the sync cursor: start from the beginning (or `dateFrom`). */
  fullResync?: boolean | undefined;
}

/** Filters each platform's API (and our client for it) can apply; anything else is refused, never ignored. */
const SUPPORTED: Record<IntegrationPlatform, ReadonlySet<string>> = {
  langfuse: new Set(["date_from", "date_to", "tags", "user_ids", "import_scores_as_labels"]),
  langsmith: new Set(["date_from", "date_to"]),
  openai: new Set(),
};

function requestedFilters(input: StartImportInput): [string, string][] {
  const given: [string, boolean, string][] = [
    ["date_from", input.dateFrom !== undefined, "filters.date_from"],
    ["date_to", input.dateTo !== undefined, "filters.date_to"],
    ["tags", (input.tags?.length ?? 0) > 0, "filters.tags"],
    ["user_ids", (input.userIds?.length ?? 0) > 0, "filters.user_ids"],
    ["import_scores_as_labels", input.importScoresAsLabels === true, "import_scores_as_labels"],
  ];
  return given.filter(([, isSet]) => isSet).map(([name, , path]) => [name, path]);
}

function assertSupported(platform: IntegrationPlatform, input: StartImportInput): void {
  const unsupported: ErrorDetail[] = requestedFilters(input)
    .filter(([name]) => !SUPPORTED[platform].has(name))
    .map(([, path]) => ({ path, message: `${platform} imports do not support this filter` }));
  if (unsupported.length > 0) {
    throw validationError(`Filters not supported for ${platform} imports`, unsupported);
  }
}

function cursorValue(integration: Integration, key: string): string | undefined {
  const value = integration.syncCursor?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** Where the walk starts: the caller's dates, else the sync cursor (unless a full resync), else the beginning. */
function startOf(integration: Integration, input: StartImportInput, now: Date): ImportStart {
  if (integration.platform === "openai") {
    const after = input.fullResync ? null : (cursorValue(integration, "after") ?? null);
    return { kind: "after", after, until: now.toISOString() };
  }
  const iso = (at: string) => new Date(at).toISOString();
  const incremental = input.fullResync ? undefined : cursorValue(integration, "from");
  const from = iso(input.dateFrom ?? incremental ?? EPOCH);
  const to =
    input.dateTo !== undefined && Date.parse(input.dateTo) < now.getTime() ? iso(input.dateTo) : now.toISOString();
  if (from >= to) {
    const path = input.dateFrom !== undefined ? "filters.date_from" : "filters.date_to";
    throw validationError("The import window is empty", [
      { path, message: "date_from must be before date_to and now" },
    ]);
  }
  return { kind: "window", from, to };
}

/**
 * Queues an `import` job for one integration; the job does the work (see `importHandler`). Any
 * role may import: it reads only what the stored key already allows and never reveals the key.
 * @throws NOT_FOUND (also for another workspace's integration), VALIDATION_ERROR for a filter the
 * platform cannot apply or an empty window, ALREADY_EXISTS (409) while the integration has an import
 * queued or running.
 */
export async function startTraceImport(ctx: Ctx, input: StartImportInput): Promise<Job> {
  const integration = await getIntegrationOrThrow(ctx, input.integrationId);
  assertSupported(integration.platform, input);
  const tags = input.tags ?? [];
  const userIds = input.userIds ?? [];
  const payload: ImportPayload = {
    integration_id: integration.id,
    start: startOf(integration, input, ctx.deps.clock.now()),
    tags,
    user_ids: userIds,
    limit: input.limit ?? null,
    page_size: input.pageSize ?? null,
    import_scores_as_labels:
      input.importScoresAsLabels ?? (integration.platform === "langfuse" && integration.config?.import_scores === true),
    moves_sync_cursor: tags.length === 0 && userIds.length === 0,
  };
  // One import per integration at a time (a unique index holds it under races too): a second would
  // fetch the same pages and race the first for the sync cursor.
  const triggerEvent = `integration:${integration.id}`;
  const active = await findActiveJob(ctx, "import", triggerEvent);
  if (active) {
    throw new AppError(
      "ALREADY_EXISTS",
      `Integration ${integration.id} already has an import ${active.status} (job ${active.id}); follow it at ` +
        `/api/jobs/${active.id}, or cancel it to start another`,
      [{ job_id: active.id, status: active.status }],
    );
  }
  return createJob(ctx, { type: "import", payload, triggerEvent });
}
