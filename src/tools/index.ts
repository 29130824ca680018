export type { Tool } from "../db/schema";
export { type AttachedTool, attachTool, detachTool, listAgentTools } from "./agent-tools";
export {
  type CreateToolInput,
  createTool,
  deleteTool,
  getTool,
  type ListToolsInput,
  listTools,
  type Page,
} from "./tools";
