import type { Database } from "../../src/db/client";
import type { Workspace } from "../../src/db/schema";
import { createAgent, createTrace } from "./agent-factories";
import { createEval, createExecution } from "./eval-factories";

// Objects for the generated isolation checks (test/api/security.test.ts) of the evals routes: each
// creates a real object in `ws` and returns its id(s).

type ParamFactory = (db: Database, ws: Workspace) => Promise<string>;
type ParamsFactory = (db: Database, ws: Workspace) => Promise<Record<string, string>>;

const newEval = async (db: Database, ws: Workspace) => createEval(db, ws, await createAgent(db, ws));

export const evalParamFactories: Record<string, ParamFactory> = {
  "evals.id": async (db, ws) => (await newEval(db, ws)).id,
};

// Bodies are fixed per route, so the trace they name has a fixed id, made in the owner's workspace.
const PLAYGROUND_TRACE = "trace_evalplaygroundcheck";

export const evalRouteCases: Record<string, { params?: ParamsFactory; body?: unknown }> = {
  "PATCH /api/evals/{id}": { body: { name: "Renamed" } },
  "PATCH /api/evals/{id}/settings": { body: { auto_execute_enabled: true } },
  "POST /api/evals/{id}/playground": {
    params: async (db, ws) => {
      await createTrace(db, ws, { id: PLAYGROUND_TRACE });
      return { id: (await newEval(db, ws)).id };
    },
    body: { trace_ids: [PLAYGROUND_TRACE] },
  },
  "GET /api/eval-executions/{traceId}/{evalId}": {
    params: async (db, ws) => {
      const row = await newEval(db, ws);
      const trace = await createTrace(db, ws);
      await createExecution(db, ws, row, trace);
      return { traceId: trace.id, evalId: row.id };
    },
  },
};
