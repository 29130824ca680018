import { and, eq } from "drizzle-orm";
import type { Ctx } from "../context";
import { newId } from "../db/ids";
import { integrations } from "../db/schema";
import type { TraceSource } from "../db/schema/enums";
import { AppError, notFound } from "../errors";
import { getTraceRow } from "./detail";
import { type LegacyStep, spansFromLegacySteps } from "./legacy-steps";
import {
  type CanonicalSpan,
  type CanonicalTrace,
  emptySpan,
  extentOf,
  type JsonObject,
  type JsonValue,
  orderSpans,
} from "./model";
import type { TraceRow } from "./rows";
import { storeTraces } from "./store";

export interface CreateTraceInput {
  /** The trace's source becomes the integration's platform; without one it is `api`. */
  integrationId?: string | null | undefined;
  /** The external id; the same id again updates that trace. Generated when absent. */
  traceId?: string | undefined;
  name?: string | null | undefined;
  timestamp?: string | null | undefined;
  input?: JsonValue | undefined;
  output?: JsonValue | undefined;
  inputPreview?: string | null | undefined;
  outputPreview?: string | null | undefined;
  hasErrors?: boolean | undefined;
  steps?: LegacyStep[] | undefined;
  spans?: CanonicalSpan[] | undefined;
  metadata?: JsonObject | undefined;
  tags?: string[] | undefined;
  userId?: string | null | undefined;
  sessionId?: string | null | undefined;
}

async function sourceOf(ctx: Ctx, integrationId: string | null | undefined): Promise<TraceSource> {
  if (!integrationId) {
    return "api";
  }
  const [row] = await ctx.db
    .select({ platform: integrations.platform })
    .from(integrations)
    .where(and(eq(integrations.id, integrationId), eq(integrations.workspaceId, ctx.workspaceId)));
  if (!row) {
    throw notFound("integration", integrationId);
  }
  return row.platform;
}

/** With neither spans nor steps, the previews (or input/output) become one root span, so views and summaries see them. */
function spansOf(input: CreateTraceInput): CanonicalSpan[] {
  const given = [...(input.spans ?? []), ...spansFromLegacySteps(input.steps ?? [])];
  if (given.length > 0) {
    return orderSpans(given);
  }
  return [
    {
      ...emptySpan("root", input.name ?? "trace"),
      kind: "CHAIN",
      started_at: input.timestamp ?? null,
      status: input.hasErrors ? "ERROR" : "UNSET",
      input: input.input ?? input.inputPreview ?? null,
      output: input.output ?? input.outputPreview ?? null,
    },
  ];
}

function documentOf(input: CreateTraceInput, source: TraceSource, now: number): CanonicalTrace {
  const spans = spansOf(input);
  const extent = extentOf(spans);
  return {
    external_id: input.traceId ?? newId("trace", now),
    source,
    name: input.name ?? null,
    started_at: input.timestamp ?? extent.startedAt,
    ended_at: extent.endedAt,
    input: input.input ?? null,
    output: input.output ?? null,
    spans,
    metadata: input.metadata ?? {},
    tags: input.tags ?? [],
    user_id: input.userId ?? null,
    session_id: input.sessionId ?? null,
  };
}

/**
 * Stores one trace sent directly (the original's `POST /api/traces`), or merges it into the trace with
 * the same source and `traceId`.
 * @throws NOT_FOUND for an integration outside the workspace; PAYLOAD_TOO_LARGE.
 */
export async function createTrace(ctx: Ctx, input: CreateTraceInput): Promise<{ row: TraceRow; created: boolean }> {
  const source = await sourceOf(ctx, input.integrationId);
  const doc = documentOf(input, source, ctx.deps.clock.now().getTime());
  const result = await storeTraces(ctx, { traces: [doc], integrationId: input.integrationId ?? undefined });
  const [stored] = result.stored;
  if (!stored) {
    const [why] = result.rejected;
    throw new AppError(why?.code ?? "INTERNAL_ERROR", why?.reason ?? "The trace was not stored");
  }
  return { row: await getTraceRow(ctx, stored.id), created: stored.created };
}
