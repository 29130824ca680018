// The jobs area's public verbs. Features start work with `createJob`; hosts run it with
// `JobRunner` (Node) or `consumeJobMessages` + `sweepJobs` (Workers).
export type { Job, JobLog, JobRetryHistory } from "../db/schema";
export { computeBackoffMs } from "./backoff";
export { consumeJobMessages, JobMessageBody, type JobQueueMessage } from "./consumer";
export { classifyError, isRetryable, JobCancelled } from "./errors";
export { executeJob, type JobOutcome } from "./execute";
export * from "./handlers";
export type { JobQueue } from "./queue";
export { JobRunner, type JobRunnerOptions, LocalJobQueue } from "./runner";
export {
  type CreateJobRequest,
  cancelJob,
  createJob,
  findActiveJob,
  getJob,
  getJobRetries,
  type JobsPage,
  listJobs,
  retryJob,
  startDiagnosticJob,
} from "./service";
export { type JobStreamEvent, openJobStream } from "./stream";
export { sweepJobs } from "./sweeper";
