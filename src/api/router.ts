import type { Hook } from "@hono/zod-openapi";
import { OpenAPIHono } from "@hono/zod-openapi";
import { validationError } from "../errors";
import type { AppEnv } from "./env";

/** Turns a failed request validation into the standard 400 envelope (thrown to `onError`). */
// biome-ignore lint/suspicious/noExplicitAny: Hono types a hook shared by every route with `any` path/output
export const defaultHook: Hook<unknown, AppEnv, any, unknown> = (result) => {
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message,
    }));
    throw validationError("Request validation failed", details);
  }
};

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook });
}
