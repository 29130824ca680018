import type { Database } from "../../src/db/client";
import type { Workspace } from "../../src/db/schema";
import { createAgent } from "./agent-factories";
import { createAlert, createEval } from "./matrix-factories";

// Objects for the generated isolation checks (test/api/security.test.ts) of the matrix and monitoring
// routes: each creates a real object in `ws` and returns its id(s).

type ParamFactory = (db: Database, ws: Workspace) => Promise<string>;
type ParamsFactory = (db: Database, ws: Workspace) => Promise<Record<string, string>>;

export const matrixParamFactories: Record<string, ParamFactory> = {
  "evals.id": async (db, ws) => (await createEval(db, ws, await createAgent(db, ws))).id,
};

const withAlert: ParamsFactory = async (db, ws) => {
  const ev = await createEval(db, ws, await createAgent(db, ws));
  return { id: ev.id, alertId: (await createAlert(db, ws, ev)).id };
};

/** The matrix needs `eval_ids` in its query, which is fixed per route: its eval gets a fixed id. */
function matrixCase(evalId: string) {
  return {
    params: async (db: Database, ws: Workspace) => {
      const agent = await createAgent(db, ws);
      await createEval(db, ws, agent, { id: evalId });
      return { id: agent.id };
    },
    query: `eval_ids=${evalId}`,
  };
}

export const matrixRouteCases: Record<string, { params?: ParamsFactory; query?: string }> = {
  "GET /api/agents/{id}/matrix": matrixCase("eval_isolationmatrix"),
  "GET /api/agents/{id}/matrix/stats": matrixCase("eval_isolationmatrixstats"),
  "POST /api/evals/{id}/alerts/{alertId}/acknowledge": { params: withAlert },
  "POST /api/evals/{id}/alerts/{alertId}/resolve": { params: withAlert },
};
