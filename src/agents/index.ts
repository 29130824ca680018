export type { Agent, AgentVersion } from "../db/schema";
export {
  archiveAgent,
  type CreateAgentInput,
  confirmAgent,
  createAgent,
  type UpdateAgentInput,
  updateAgent,
} from "./agents";
export {
  type AutoAssignResult,
  assignIngestedTraces,
  assignTrace,
  assignTracesToVersion,
  assignTracesToVersions,
  type TraceAssignment,
} from "./assign";
export type { AgentCounts, FeedbackCounts } from "./counts";
export { type AgentDetail, type AgentMetrics, getAgentDetail } from "./detail";
export { getAgentOrThrow, type Page } from "./internal";
export { type AgentList, type AgentSummary, type ListAgentsInput, listAgents } from "./list";
export { promoteVersion, rejectVersion } from "./promote";
export {
  compileTemplate,
  extractVariables,
  fillTemplate,
  matchCompiled,
  matchTemplate,
  type TemplateMatch,
} from "./template-match";
export {
  type ActivePrompt,
  type CreateVersionInput,
  createVersion,
  getActivePrompt,
  getVersion,
  type ListVersionsInput,
  listVersions,
} from "./versions";
