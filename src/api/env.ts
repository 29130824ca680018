import type { Ctx, Deps } from "../context";

/** Hono environment shared by every router. */
export interface AppEnv {
  Variables: {
    requestId: string;
    deps: Deps;
    ctx: Ctx;
  };
}
