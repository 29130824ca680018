import { z } from "@hono/zod-openapi";
import { toolCategory } from "../db/schema/enums";
import type { AttachedTool, Tool } from "../tools";
import { IdParam } from "./api-keys.schemas";
import { CursorPage, CursorQuery } from "./pagination";

/** Built-in ids are names (`email_search`), a workspace's are generated (`tool_…`). */
const ToolId = z
  .string()
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/, "not a tool id");

// What LLM function-calling APIs accept as a tool name.
const ToolName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "1-64 letters, digits, '_' or '-'");

const MAX_JSON_CHARS = 64 * 1024;
const smallJson = (value: unknown) => JSON.stringify(value).length <= MAX_JSON_CHARS;

/** The JSON Schema of a tool's arguments: an object schema, as function calling requires. */
const ParametersSchema = z
  .looseObject({
    type: z.literal("object"),
    properties: z.record(z.string(), z.unknown()).optional(),
    required: z.array(z.string().max(200)).max(500).optional(),
  })
  .refine(smallJson, `at most ${MAX_JSON_CHARS} characters of JSON`)
  .openapi({ description: "JSON Schema of the arguments; `type` must be `object`" });

const Config = z
  .record(z.string().max(200), z.unknown())
  .refine(smallJson, `at most ${MAX_JSON_CHARS} characters of JSON`)
  .openapi({ description: "Per-agent settings of the tool" });

export const ToolSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    parameters_schema: z.record(z.string(), z.unknown()),
    category: z.enum(toolCategory),
    handler_key: z.string().nullable(),
    built_in: z.boolean().openapi({ description: "Built-in tools are shared by every workspace and read-only" }),
    created_at: z.string(),
  })
  .openapi("Tool");

export const AgentToolSchema = ToolSchema.extend({
  config: z.record(z.string(), z.unknown()).nullable(),
  attached_at: z.string(),
}).openapi("AgentTool");

export const ToolPage = CursorPage("tools", ToolSchema).openapi("ToolPage");
export const AgentToolList = z.object({ tools: z.array(AgentToolSchema) }).openapi("AgentToolList");

export const ListToolsQuery = z.object({ category: z.enum(toolCategory).optional(), ...CursorQuery });
export const ToolIdParams = z.object({ id: ToolId.openapi({ param: { name: "id", in: "path" } }) });
export const AgentToolParams = z.object({
  id: IdParam,
  toolId: ToolId.openapi({ param: { name: "toolId", in: "path" } }),
});

export const CreateToolBody = z
  .object({
    name: ToolName,
    description: z.string().trim().min(1).max(5_000),
    parameters_schema: ParametersSchema,
    category: z.enum(toolCategory).optional(),
  })
  .openapi("CreateToolBody");

export const AttachToolBody = z
  .object({ tool_id: ToolId, config: Config.nullable().optional() })
  .openapi("AttachToolBody");

export function toToolJson(tool: Tool): z.infer<typeof ToolSchema> {
  return {
    id: tool.id,
    name: tool.name,
    description: tool.description,
    parameters_schema: tool.parametersSchema,
    category: tool.category,
    handler_key: tool.handlerKey,
    built_in: tool.workspaceId === null,
    created_at: tool.createdAt,
  };
}

export function toAgentToolJson(attached: AttachedTool): z.infer<typeof AgentToolSchema> {
  return { ...toToolJson(attached.tool), config: attached.config, attached_at: attached.attachedAt };
}
