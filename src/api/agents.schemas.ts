import { z } from "@hono/zod-openapi";
import type {
  ActivePrompt,
  Agent,
  AgentDetail,
  AgentList,
  AgentSummary,
  AgentVersion,
  TraceAssignment,
} from "../agents";
import { agentStatus, agentVersionSource, agentVersionStatus, traceAssignmentStatus } from "../db/schema/enums";
import { validationError } from "../errors";
import { IdParam } from "./api-keys.schemas";
import { Id } from "./feedback.schemas";
import { toIdPageJson } from "./id-cursor";
import { CursorPage, CursorQuery, decodeCursor, encodeCursor } from "./pagination";

const AgentName = z.string().trim().min(1).max(200);
const Description = z.string().max(5_000);
const VariableName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/, "a {{variable}} name");

export const AgentVersionSchema = z
  .object({
    id: z.string(),
    agent_id: z.string(),
    version: z.number().int(),
    prompt_template: z.string(),
    variables: z.array(z.string()),
    source: z.enum(agentVersionSource),
    parent_version_id: z.string().nullable(),
    status: z.enum(agentVersionStatus),
    accuracy: z.number().nullable(),
    created_at: z.string(),
    promoted_at: z.string().nullable(),
  })
  .openapi("AgentVersion");

export const AgentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(agentStatus),
    active_version_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Agent");

const Count = z.number().int().min(0);

export const AgentSummarySchema = AgentSchema.extend({
  active_version: AgentVersionSchema.nullable(),
  counts: z.object({ traces: Count, evals: Count, feedback: Count, tasks: Count }),
}).openapi("AgentSummary");

export const AgentListSchema = z
  .object({
    agents: z.array(AgentSummarySchema),
    next_cursor: z.string().nullable(),
    has_more: z.boolean(),
    pending_discoveries: Count.openapi({ description: "Discovered agents awaiting confirmation" }),
  })
  .openapi("AgentList");

export const AgentDetailSchema = AgentSchema.extend({
  active_version: AgentVersionSchema.nullable(),
  versions: z.array(AgentVersionSchema).openapi({ description: "Newest first, at most 100" }),
  metrics: z.object({
    trace_count: Count,
    version_count: Count,
    feedback_count: Count,
    positive_count: Count,
    negative_count: Count,
    neutral_count: Count,
    eval_count: Count,
    task_count: Count,
    accuracy: z.number().nullable().openapi({ description: "Of the active eval; null without one" }),
    contradiction_rate: z.number().nullable(),
  }),
}).openapi("AgentDetail");

export const PromptSchema = z
  .object({
    template: z.string(),
    version: z.number().int(),
    version_id: z.string(),
    variables: z.array(z.string()),
    updated_at: z.string().openapi({ description: "When this version became active" }),
  })
  .openapi("AgentPrompt");

export const CreateAgentBody = z
  .object({ name: AgentName, description: Description.nullable().optional() })
  .openapi("CreateAgentBody");

export const UpdateAgentBody = z
  .object({ name: AgentName.optional(), description: Description.nullable().optional() })
  .refine((b) => b.name !== undefined || b.description !== undefined, "give name or description")
  .openapi("UpdateAgentBody");

export const ConfirmAgentBody = z.object({ name: AgentName.optional() }).openapi("ConfirmAgentBody");

export const ListAgentsQuery = z.object({
  include_archived: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  ...CursorQuery,
});

export const AgentIdParams = z.object({ id: IdParam });
export const TraceIdParams = z.object({ id: IdParam });

export const CreateVersionBody = z
  .object({
    prompt_template: z.string().min(1).max(200_000),
    variables: z.array(VariableName).max(200).optional(),
    source: z.enum(agentVersionSource).optional(),
  })
  .openapi("CreateVersionBody");

export const ListVersionsQuery = z.object(CursorQuery);
export const AgentVersionPage = CursorPage("versions", AgentVersionSchema).openapi("AgentVersionPage");

/** Version lists page on the version number (newest first). */
export function decodeVersionCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const { version } = decodeCursor(cursor, ["version"]);
  if (typeof version !== "number" || !Number.isInteger(version)) {
    throw validationError("Invalid cursor", [{ path: "cursor", message: "not a cursor this API issued" }]);
  }
  return version;
}

export function toVersionPageJson(page: { items: AgentVersion[]; hasMore: boolean }) {
  const last = page.items.at(-1);
  return {
    versions: page.items.map(toVersionJson),
    next_cursor: page.hasMore && last ? encodeCursor({ version: last.version }) : null,
    has_more: page.hasMore,
  };
}

export const VersionParams = z.object({
  id: IdParam,
  n: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000_000)
    .openapi({ param: { name: "n", in: "path" }, description: "Version number" }),
});

export const AssignTracesBody = z.object({ trace_ids: z.array(Id).min(1).max(500) }).openapi("AssignTracesBody");

export const AssignTracesResponse = z
  .object({ agent_version_id: z.string(), version: z.number().int(), assigned_count: Count })
  .openapi("AssignTracesResponse");

export const AssignTraceBody = z
  .object({ agent_version_id: Id.nullable().openapi({ description: "null unassigns the trace" }) })
  .openapi("AssignTraceBody");

export const TraceAssignmentSchema = z
  .object({
    trace_id: z.string(),
    agent_version_id: z.string().nullable(),
    agent_id: z.string().nullable(),
    assignment_status: z.enum(traceAssignmentStatus),
  })
  .openapi("TraceAssignment");

export function toVersionJson(v: AgentVersion): z.infer<typeof AgentVersionSchema> {
  return {
    id: v.id,
    agent_id: v.agentId,
    version: v.version,
    prompt_template: v.promptTemplate,
    variables: v.variables,
    source: v.source,
    parent_version_id: v.parentVersionId,
    status: v.status,
    accuracy: v.accuracy,
    created_at: v.createdAt,
    promoted_at: v.promotedAt,
  };
}

export function toAgentJson(a: Agent): z.infer<typeof AgentSchema> {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    status: a.status,
    active_version_id: a.activeVersionId,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

function toSummaryJson(a: AgentSummary): z.infer<typeof AgentSummarySchema> {
  const { traces, evals, tasks, feedback } = a.counts;
  return {
    ...toAgentJson(a),
    active_version: a.activeVersion ? toVersionJson(a.activeVersion) : null,
    counts: { traces, evals, feedback: feedback.total, tasks },
  };
}

export function toAgentListJson(list: AgentList): z.infer<typeof AgentListSchema> {
  return { ...toIdPageJson("agents", list, toSummaryJson), pending_discoveries: list.pendingDiscoveries };
}

export function toAgentDetailJson(a: AgentDetail): z.infer<typeof AgentDetailSchema> {
  const m = a.metrics;
  return {
    ...toAgentJson(a),
    active_version: a.activeVersion ? toVersionJson(a.activeVersion) : null,
    versions: a.versions.map(toVersionJson),
    metrics: {
      trace_count: m.traceCount,
      version_count: m.versionCount,
      feedback_count: m.feedbackCount,
      positive_count: m.positiveCount,
      negative_count: m.negativeCount,
      neutral_count: m.neutralCount,
      eval_count: m.evalCount,
      task_count: m.taskCount,
      accuracy: m.accuracy,
      contradiction_rate: m.contradictionRate,
    },
  };
}

export function toPromptJson(p: ActivePrompt): z.infer<typeof PromptSchema> {
  return {
    template: p.template,
    version: p.version,
    version_id: p.versionId,
    variables: p.variables,
    updated_at: p.updatedAt,
  };
}

export function toTraceAssignmentJson(a: TraceAssignment): z.infer<typeof TraceAssignmentSchema> {
  return {
    trace_id: a.traceId,
    agent_version_id: a.agentVersionId,
    agent_id: a.agentId,
    assignment_status: a.assignmentStatus,
  };
}
