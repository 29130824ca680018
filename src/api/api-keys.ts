import { createRoute } from "@hono/zod-openapi";
import { createApiKey, listApiKeys, revokeApiKey } from "../workspaces";
import {
  ApiKeyIdParams,
  ApiKeyPage,
  CreateApiKeyBody,
  CreatedApiKeySchema,
  ListApiKeysQuery,
  toApiKeyPageJson,
  toCreatedApiKeyJson,
} from "./api-keys.schemas";
import { errorResponses } from "./error-responses";
import { idPageInput } from "./id-cursor";
import { createRouter } from "./router";

const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

const listApiKeysRoute = createRoute({
  method: "get",
  path: "/api/api-keys",
  operationId: "listApiKeys",
  tags: ["api-keys"],
  summary: "List the workspace's API keys (owners and admins; never the secret or its hash)",
  request: { query: ListApiKeysQuery },
  responses: { 200: json(ApiKeyPage, "A page of keys, newest first"), ...errorResponses },
});

const createApiKeyRoute = createRoute({
  method: "post",
  path: "/api/api-keys",
  operationId: "createApiKey",
  tags: ["api-keys"],
  summary: "Create an API key; the key is in this response only (owners and admins)",
  request: { body: { required: true, content: { "application/json": { schema: CreateApiKeyBody } } } },
  responses: { 201: json(CreatedApiKeySchema, "The new key, shown once"), ...errorResponses },
});

const revokeApiKeyRoute = createRoute({
  method: "delete",
  path: "/api/api-keys/{id}",
  operationId: "revokeApiKey",
  tags: ["api-keys"],
  summary: "Revoke an API key: it stops authenticating at once (owners and admins)",
  request: { params: ApiKeyIdParams },
  responses: { 204: { description: "Revoked" }, ...errorResponses },
});

export const apiKeysRouter = createRouter()
  .openapi(listApiKeysRoute, async (c) => {
    const page = await listApiKeys(c.var.ctx, idPageInput(c.req.valid("query")));
    return c.json(toApiKeyPageJson(page), 200);
  })
  .openapi(createApiKeyRoute, async (c) => {
    const created = await createApiKey(c.var.ctx, c.req.valid("json"));
    return c.json(toCreatedApiKeyJson(created), 201);
  })
  .openapi(revokeApiKeyRoute, async (c) => {
    await revokeApiKey(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  });
