import { createRouter } from "../router";
import { evalCrudRouter } from "./crud";
import { evalExecutionRouter } from "./execution";

/** `/api/evals/*`, an agent's eval versions, and the execution drill-downs. */
export const evalsRouter = createRouter().route("/", evalCrudRouter).route("/", evalExecutionRouter);
