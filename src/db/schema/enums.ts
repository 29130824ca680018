// Every value list the product uses. Schema columns, zod schemas and services import these;
// nobody retypes a list.

export const workspaceRole = ["owner", "admin", "member"] as const;
export type WorkspaceRole = (typeof workspaceRole)[number];

export const agentStatus = ["discovered", "confirmed", "archived"] as const;
export type AgentStatus = (typeof agentStatus)[number];

export const agentVersionStatus = ["candidate", "active", "rejected", "archived"] as const;
export type AgentVersionStatus = (typeof agentVersionStatus)[number];

export const agentVersionSource = ["discovered", "manual", "ai_improved"] as const;
export type AgentVersionSource = (typeof agentVersionSource)[number];

export const jobType = [
  "import",
  "generate",
  "execute",
  "monitor",
  "auto_refine",
  "agent_discovery",
  "prompt_improvement",
  "prompt_evaluation",
  "template_drift",
  "eval_revalidation",
  "taskset_run",
  "gepa_optimization",
  "diagnostic",
] as const;
export type JobType = (typeof jobType)[number];

export const jobStatus = ["queued", "running", "completed", "failed", "cancelled"] as const;
export type JobStatus = (typeof jobStatus)[number];

/** Job states a job never leaves. */
export const terminalJobStatus = ["completed", "failed", "cancelled"] as const satisfies readonly JobStatus[];

export const jobErrorCategory = [
  "transient_network",
  "transient_rate_limit",
  "transient_server",
  "transient_db_lock",
  "permanent_validation",
  "permanent_auth",
  "permanent_not_found",
  "permanent_security",
  "cancelled",
  "unknown",
] as const;
export type JobErrorCategory = (typeof jobErrorCategory)[number];

export const jobLogLevel = ["debug", "info", "warn", "error"] as const;
export type JobLogLevel = (typeof jobLogLevel)[number];

export const feedbackRating = ["positive", "negative", "neutral"] as const;
export type FeedbackRating = (typeof feedbackRating)[number];

export const feedbackChange = ["created", "updated", "deleted"] as const;
export type FeedbackChange = (typeof feedbackChange)[number];

export const evalStatus = ["draft", "candidate", "testing", "active", "archived"] as const;
export type EvalStatus = (typeof evalStatus)[number];

export const evalCandidateStatus = ["candidate", "testing", "active", "archived"] as const;
export type EvalCandidateStatus = (typeof evalCandidateStatus)[number];

/** Where a candidate came from: the label-driven rule miner (no LLM needed) or LLM meta-prompting. */
export const evalCandidateSource = ["rule_miner", "llm"] as const;
export type EvalCandidateSource = (typeof evalCandidateSource)[number];

export const tasksetStatus = ["active", "archived"] as const;
export type TasksetStatus = (typeof tasksetStatus)[number];

export const tasksetRunStatus = ["queued", "running", "completed", "partial", "failed", "cancelled"] as const;
export type TasksetRunStatus = (typeof tasksetRunStatus)[number];

export const tasksetTaskSource = ["trace", "manual", "imported"] as const;
export type TasksetTaskSource = (typeof tasksetTaskSource)[number];

export const tasksetRunResultStatus = ["pending", "completed", "failed", "timeout"] as const;
export type TasksetRunResultStatus = (typeof tasksetRunResultStatus)[number];

export const functionType = ["template_extractor", "template_injector", "eval"] as const;
export type FunctionType = (typeof functionType)[number];

export const functionStatus = ["active", "archived", "failed"] as const;
export type FunctionStatus = (typeof functionStatus)[number];

export const functionRole = ["extractor", "injector"] as const;
export type FunctionRole = (typeof functionRole)[number];

export const traceSource = [
  "langfuse",
  "langsmith",
  "openai",
  "otlp",
  "upload",
  "api",
  "playground",
  "taskset",
] as const;
export type TraceSource = (typeof traceSource)[number];

export const traceAssignmentStatus = ["unassigned", "assigned", "orphaned"] as const;
export type TraceAssignmentStatus = (typeof traceAssignmentStatus)[number];

export const spanKind = ["LLM", "TOOL", "AGENT", "CHAIN", "RETRIEVER", "EMBEDDING", "RERANKER", "UNKNOWN"] as const;
export type SpanKind = (typeof spanKind)[number];

export const spanStatus = ["OK", "ERROR", "UNSET"] as const;
export type SpanStatus = (typeof spanStatus)[number];

export const integrationPlatform = ["langfuse", "langsmith", "openai"] as const;
export type IntegrationPlatform = (typeof integrationPlatform)[number];

export const integrationStatus = ["active", "error"] as const;
export type IntegrationStatus = (typeof integrationStatus)[number];

export const toolCategory = ["general", "code", "filesystem", "email"] as const;
export type ToolCategory = (typeof toolCategory)[number];

export const gepaSplit = ["train", "val", "test"] as const;
export type GepaSplit = (typeof gepaSplit)[number];

export const gepaRunStatus = ["pending", "running", "completed", "failed", "cancelled"] as const;
export type GepaRunStatus = (typeof gepaRunStatus)[number];

export const alertType = ["accuracy_drop", "contradiction_spike", "error_spike", "insufficient_data"] as const;
export type AlertType = (typeof alertType)[number];

export const alertSeverity = ["info", "warning", "critical"] as const;
export type AlertSeverity = (typeof alertSeverity)[number];

export const modelProvider = ["openai", "anthropic"] as const;
export type ModelProvider = (typeof modelProvider)[number];
