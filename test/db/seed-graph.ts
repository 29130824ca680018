import { eq } from "drizzle-orm";
import type { Database } from "../../src/db/client";
import { newId } from "../../src/db/ids";
import {
  agentFunctions,
  agents,
  agentTools,
  agentVersions,
  evalCandidateExecutions,
  evalCandidates,
  evalExecutions,
  evals,
  feedback,
  feedbackHistory,
  functions,
  gepaRuns,
  gepaRunTasks,
  integrations,
  jobLogs,
  jobRetryHistory,
  jobs,
  performanceAlerts,
  performanceSnapshots,
  playgroundSessions,
  tasksetRunResults,
  tasksetRuns,
  tasksets,
  tasksetTasks,
  tools,
  tracePayloadChunks,
  traces,
  workspaces,
} from "../../src/db/schema";

function newGraphIds() {
  return {
    workspace: newId("workspace"),
    integration: newId("integration"),
    agent: newId("agent"),
    version: newId("agentVersion"),
    trace: newId("trace"),
    job: newId("job"),
    eval: newId("eval"),
    execution: newId("evalExecution"),
    candidate: newId("evalCandidate"),
    taskset: newId("taskset"),
    task: newId("task"),
    run: newId("tasksetRun"),
    gepaRun: newId("gepaRun"),
    fn: newId("function"),
    // Tool ids are global catalogue names; a unique one keeps seeded graphs independent.
    tool: `tool_${newId("task")}`,
  };
}

export type GraphIds = ReturnType<typeof newGraphIds>;

/** A workspace with one row in every table it owns, wired through every foreign key. */
export async function seedWorkspaceGraph(db: Database): Promise<GraphIds> {
  const ids = newGraphIds();
  const ws = ids.workspace;
  await db.insert(workspaces).values({ id: ws, name: "Seeded" });
  await db.insert(integrations).values({
    id: ids.integration,
    workspaceId: ws,
    name: "Langfuse prod",
    platform: "langfuse",
    apiKeyEncrypted: "ciphertext",
  });
  await db.insert(agents).values({ id: ids.agent, workspaceId: ws, name: "Support bot", status: "confirmed" });
  await db
    .insert(agentVersions)
    .values({ id: ids.version, agentId: ids.agent, version: 1, promptTemplate: "You help {{user}}." });
  await db.update(agents).set({ activeVersionId: ids.version }).where(eq(agents.id, ids.agent));
  await db.batch([
    db.insert(traces).values({
      id: ids.trace,
      workspaceId: ws,
      integrationId: ids.integration,
      source: "langfuse",
      externalId: "lf-1",
      agentVersionId: ids.version,
      assignmentStatus: "assigned",
    }),
    db.insert(tracePayloadChunks).values([
      { traceId: ids.trace, seq: 0, body: '{"spans":' },
      { traceId: ids.trace, seq: 1, body: "[]}" },
    ]),
    db.insert(jobs).values({ id: ids.job, workspaceId: ws, type: "execute" }),
    db.insert(jobLogs).values({ jobId: ids.job, message: "started" }),
    db.insert(jobRetryHistory).values({
      id: newId("retry"),
      jobId: ids.job,
      attempt: 1,
      error: "ECONNRESET",
      errorCategory: "transient_network",
      delayMs: 1000,
      willRetry: true,
    }),
  ]);
  await seedLabelsAndEvals(db, ids);
  await seedTasksAndRuns(db, ids);
  await seedAgentExtras(db, ids);
  return ids;
}

async function seedLabelsAndEvals(db: Database, ids: GraphIds) {
  const ws = ids.workspace;
  const fbId = newId("feedback");
  await db.batch([
    db
      .insert(feedback)
      .values({ id: fbId, workspaceId: ws, traceId: ids.trace, rating: "positive", createdBy: "local" }),
    db.insert(feedbackHistory).values({
      id: newId("feedbackHistory"),
      workspaceId: ws,
      feedbackId: fbId,
      traceId: ids.trace,
      change: "created",
      ratingAfter: "positive",
      actor: "local",
    }),
    db.insert(evals).values({ id: ids.eval, workspaceId: ws, agentId: ids.agent, version: 1, name: "ok", code: "x" }),
    db.insert(evalExecutions).values({
      id: ids.execution,
      workspaceId: ws,
      evalId: ids.eval,
      traceId: ids.trace,
      predictedResult: true,
      jobId: ids.job,
    }),
    db.insert(evalCandidates).values({
      id: ids.candidate,
      workspaceId: ws,
      agentId: ids.agent,
      name: "cand",
      code: "x",
      source: "rule_miner",
      jobId: ids.job,
      evalId: ids.eval,
    }),
    db.insert(evalCandidateExecutions).values({
      id: newId("evalCandidateExecution"),
      evalCandidateId: ids.candidate,
      traceId: ids.trace,
      success: true,
    }),
  ]);
}

async function seedTasksAndRuns(db: Database, ids: GraphIds) {
  const ws = ids.workspace;
  await db.batch([
    db.insert(tasksets).values({ id: ids.taskset, workspaceId: ws, agentId: ids.agent, name: "smoke" }),
    db.insert(tasksetTasks).values({
      id: ids.task,
      tasksetId: ids.taskset,
      userMessage: "hi",
      contentHash: "h1",
      source: "trace",
      sourceTraceId: ids.trace,
    }),
    db.insert(tasksetRuns).values({
      id: ids.run,
      workspaceId: ws,
      tasksetId: ids.taskset,
      agentVersionId: ids.version,
      jobId: ids.job,
    }),
    db
      .insert(tasksetRunResults)
      .values({ id: newId("tasksetRunResult"), runId: ids.run, taskId: ids.task, traceId: ids.trace }),
    db.insert(gepaRuns).values({
      id: ids.gepaRun,
      workspaceId: ws,
      agentId: ids.agent,
      evalId: ids.eval,
      tasksetId: ids.taskset,
      jobId: ids.job,
      optimizedVersionId: ids.version,
    }),
    db.insert(gepaRunTasks).values({ id: newId("gepaRunTask"), runId: ids.gepaRun, taskId: ids.task, split: "train" }),
  ]);
}

async function seedAgentExtras(db: Database, ids: GraphIds) {
  const ws = ids.workspace;
  await db.batch([
    db.insert(performanceSnapshots).values({ id: newId("snapshot"), evalId: ids.eval, snapshotDate: "2026-01-01" }),
    db.insert(performanceAlerts).values({
      id: newId("alert"),
      workspaceId: ws,
      evalId: ids.eval,
      alertType: "accuracy_drop",
      severity: "warning",
      message: "accuracy below 0.8",
    }),
    db.insert(playgroundSessions).values({
      id: newId("playgroundSession"),
      workspaceId: ws,
      agentId: ids.agent,
      agentVersionId: ids.version,
      modelProvider: "openai",
      modelId: "gpt-5-mini",
    }),
    db.insert(functions).values({ id: ids.fn, workspaceId: ws, type: "template_extractor", name: "f", code: "x" }),
    db.insert(agentFunctions).values({ agentId: ids.agent, role: "extractor", functionId: ids.fn }),
    db.insert(tools).values({
      id: ids.tool,
      name: "Search",
      description: "search mail",
      parametersSchema: { type: "object" },
      handlerKey: "email_search",
    }),
    db.insert(agentTools).values({ agentId: ids.agent, toolId: ids.tool }),
  ]);
}
