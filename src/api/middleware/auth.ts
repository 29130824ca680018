import type { MiddlewareHandler } from "hono";
import { DEFAULT_WORKSPACE_ID, ensureWorkspace, type ResolvedKey, resolveApiKey } from "../../auth/resolve";
import type { Actor, Ctx, Deps } from "../../context";
import { forbidden, unauthorized, validationError } from "../../errors";
import type { AppEnv } from "../env";

export interface AuthOptions {
  mode: "local" | "key";
}

export type AuthVariables = { ctx: Ctx };

const WORKSPACE_HEADER_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

function checkWorkspaceHeader(header: string | undefined): string | undefined {
  if (header !== undefined && !WORKSPACE_HEADER_PATTERN.test(header)) {
    throw validationError("Invalid X-Workspace-Id header", [
      { path: "x-workspace-id", message: "1-64 letters, digits, '_' or '-'" },
    ]);
  }
  return header;
}

/** @throws UNAUTHORIZED for a missing, malformed, unknown or revoked key. */
async function authenticateKey(deps: Deps, authorization: string | undefined): Promise<ResolvedKey> {
  const token = BEARER.exec(authorization ?? "")?.[1];
  if (!token) {
    throw unauthorized("Missing API key: send `Authorization: Bearer <key>`");
  }
  const key = await resolveApiKey(deps.db, token, deps.clock.now());
  if (!key) {
    throw unauthorized("Invalid or revoked API key");
  }
  return key;
}

/**
 * Builds `c.var.ctx`. Local mode: no credentials, workspace from `X-Workspace-Id` (default
 * `workspace_default`, created on first use), acting as owner. Key mode: `Authorization: Bearer`
 * with a live key; the key decides the workspace and role.
 */
export function auth(options: AuthOptions): MiddlewareHandler<AppEnv> {
  const knownWorkspaces = new Set<string>();
  return async function authMiddleware(c, next) {
    const deps = c.var.deps;
    const header = c.req.header("x-workspace-id");
    let workspaceId: string;
    let actor: Actor;
    if (options.mode === "local") {
      workspaceId = checkWorkspaceHeader(header) ?? DEFAULT_WORKSPACE_ID;
      if (!knownWorkspaces.has(workspaceId)) {
        await ensureWorkspace(deps.db, workspaceId);
        knownWorkspaces.add(workspaceId);
      }
      actor = { kind: "local", role: "owner", apiKeyId: undefined };
    } else {
      // Credentials first: an unauthenticated caller learns nothing, not even that a header is malformed.
      const key = await authenticateKey(deps, c.req.header("authorization"));
      if (header !== undefined && checkWorkspaceHeader(header) !== key.workspaceId) {
        throw forbidden("This API key belongs to a different workspace than X-Workspace-Id names");
      }
      workspaceId = key.workspaceId;
      actor = { kind: "api_key", role: key.role, apiKeyId: key.apiKeyId };
    }
    c.set("ctx", { db: deps.db, workspaceId, actor, requestId: c.var.requestId, deps });
    await next();
  };
}
