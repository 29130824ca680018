import { createRouter } from "../router";
import { traceReadRouter } from "./read";
import { traceWriteRouter } from "./write";

/** `/api/traces*`: list, detail, create, upload, delete. (`POST /v1/traces`, OTLP, is in ../otlp.ts.) */
export const tracesRouter = createRouter().route("/", traceWriteRouter).route("/", traceReadRouter);
