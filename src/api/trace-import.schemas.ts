import { z } from "@hono/zod-openapi";
import { ID_PATTERN } from "../db/ids";
import { MAX_FILTER_VALUES, MAX_IMPORT_LIMIT, MAX_PAGE_SIZE, type StartImportInput } from "../imports";
import type { Job } from "../jobs";

const Instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .openapi({ description: "ISO-8601 instant (a zone is required) or a date (midnight UTC)" });
const FilterValues = z.array(z.string().min(1).max(200)).max(MAX_FILTER_VALUES);

export const TraceImportBody = z
  .object({
    integration_id: z.string().max(100).regex(ID_PATTERN, "not an id"),
    filters: z
      .object({
        date_from: Instant.optional().openapi({ description: "Inclusive; default: the sync cursor, else everything" }),
        date_to: Instant.optional().openapi({ description: "Exclusive; default and upper bound: now" }),
        tags: FilterValues.optional().openapi({ description: "Langfuse: traces carrying all of these tags" }),
        user_ids: FilterValues.optional().openapi({ description: "Langfuse: traces of any of these users" }),
        limit: z.number().int().min(1).max(MAX_IMPORT_LIMIT).optional().openapi({
          description: "An explicit cap on traces stored; without it the import pages to the source's end",
        }),
      })
      .optional(),
    page_size: z.number().int().min(1).max(MAX_PAGE_SIZE).optional().openapi({
      description: "Items per source request (Langfuse v2 observations ≤ 1000; other APIs are clamped to 100)",
    }),
    import_scores_as_labels: z.boolean().optional().openapi({
      description: "Langfuse: human (ANNOTATION) scores become labels; default: the integration's `import_scores`",
    }),
    full_resync: z.boolean().optional().openapi({ description: "Ignore the sync cursor and walk from the start" }),
  })
  .refine(
    (b) =>
      !b.filters?.date_from || !b.filters.date_to || Date.parse(b.filters.date_from) < Date.parse(b.filters.date_to),
    { message: "date_from must be before date_to", path: ["filters", "date_from"] },
  )
  .openapi("TraceImportBody");

export const TraceImportAccepted = z
  .object({ job_id: z.string(), status: z.literal("queued"), integration_id: z.string() })
  .openapi("TraceImportAccepted");

export function toStartImportInput(body: z.infer<typeof TraceImportBody>): StartImportInput {
  const f = body.filters;
  return {
    integrationId: body.integration_id,
    dateFrom: f?.date_from,
    dateTo: f?.date_to,
    tags: f?.tags,
    userIds: f?.user_ids,
    limit: f?.limit,
    pageSize: body.page_size,
    importScoresAsLabels: body.import_scores_as_labels,
    fullResync: body.full_resync,
  };
}

export function toTraceImportJson(job: Job, integrationId: string): z.infer<typeof TraceImportAccepted> {
  return { job_id: job.id, status: "queued", integration_id: integrationId };
}
