import type { Database } from "../../src/db/client";
import type { Workspace } from "../../src/db/schema";
import { agentTools, tools } from "../../src/db/schema";
import { createAgent, createFeedback, createTool, createTrace, createVersion } from "./agent-factories";

// Objects for the generated isolation checks (test/api/security.test.ts) of the labels, agents,
// versions and tools routes: each creates a real object in `ws` and returns its id(s).

type ParamFactory = (db: Database, ws: Workspace) => Promise<string>;
type ParamsFactory = (db: Database, ws: Workspace) => Promise<Record<string, string>>;

export const agentParamFactories: Record<string, ParamFactory> = {
  "feedback.id": async (db, ws) => (await createFeedback(db, ws, await createTrace(db, ws))).id,
  "traces.id": async (db, ws) => (await createTrace(db, ws)).id,
  "agents.id": async (db, ws) => (await createAgent(db, ws)).id,
  "tools.id": async (db, ws) => (await createTool(db, ws)).id,
};

const withVersion: ParamsFactory = async (db, ws) => {
  const agent = await createAgent(db, ws);
  const version = await createVersion(db, agent);
  return { id: agent.id, n: String(version.version) };
};

// Bodies are fixed per route, so the objects they name have fixed ids, made on first use.
const ISOLATION_TRACE = "trace_isolationcheck";
const SHARED_TOOL = "builtin_isolationcheck";

async function ensureSharedTool(db: Database): Promise<void> {
  await db
    .insert(tools)
    .values({ id: SHARED_TOOL, name: "isolation_check", description: "d", parametersSchema: { type: "object" } })
    .onConflictDoNothing();
}

const VERSION = "/api/agents/{id}/versions/{n}";

export const agentRouteCases: Record<string, { params?: ParamsFactory; body?: unknown }> = {
  "PATCH /api/feedback/{id}": { body: { rating: "negative" } },
  "PATCH /api/agents/{id}": { body: { name: "Renamed" } },
  "POST /api/agents/{id}/versions": { body: { prompt_template: "Hello {{name}}" } },
  "POST /api/traces/{id}/assign": { body: { agent_version_id: null } },
  [`GET ${VERSION}`]: { params: withVersion },
  [`POST ${VERSION}/promote`]: { params: withVersion },
  [`POST ${VERSION}/reject`]: { params: withVersion },
  [`POST ${VERSION}/traces`]: {
    params: async (db, ws) => {
      await createTrace(db, ws, { id: ISOLATION_TRACE });
      return withVersion(db, ws);
    },
    body: { trace_ids: [ISOLATION_TRACE] },
  },
  "GET /api/agents/{id}/prompt": {
    params: async (db, ws) => {
      const agent = await createAgent(db, ws);
      await createVersion(db, agent, { active: true });
      return { id: agent.id };
    },
  },
  "POST /api/agents/{id}/tools": {
    params: async (db, ws) => {
      await ensureSharedTool(db);
      return { id: (await createAgent(db, ws)).id };
    },
    body: { tool_id: SHARED_TOOL },
  },
  "DELETE /api/agents/{id}/tools/{toolId}": {
    params: async (db, ws) => {
      const agent = await createAgent(db, ws);
      const tool = await createTool(db, ws);
      await db.insert(agentTools).values({ agentId: agent.id, toolId: tool.id });
      return { id: agent.id, toolId: tool.id };
    },
  },
};
