import { createRoute } from "@hono/zod-openapi";
import {
  createIntegration,
  deleteIntegration,
  getIntegration,
  listIntegrations,
  testIntegrationConnection,
  updateIntegration,
} from "../integrations";
import { ErrorBody, errorResponses } from "./error-responses";
import { idPageInput } from "./id-cursor";
import {
  ConnectionTestSchema,
  CreateIntegrationBody,
  IntegrationIdParams,
  IntegrationPageSchema,
  IntegrationSchema,
  ListIntegrationsQuery,
  toConnectionTestJson,
  toIntegrationJson,
  toIntegrationPageJson,
  UpdateIntegrationBody,
} from "./integrations.schemas";
import { createRouter } from "./router";

const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
const conflict = { 409: json(ErrorBody, "Another integration of this workspace has that name") };

const listIntegrationsRoute = createRoute({
  method: "get",
  path: "/api/integrations",
  operationId: "listIntegrations",
  tags: ["integrations"],
  summary: "List the workspace's trace sources (keys masked)",
  request: { query: ListIntegrationsQuery },
  responses: { 200: json(IntegrationPageSchema, "A page of integrations, oldest first"), ...errorResponses },
});

const createIntegrationRoute = createRoute({
  method: "post",
  path: "/api/integrations",
  operationId: "createIntegration",
  tags: ["integrations"],
  summary: "Add a Langfuse, LangSmith or OpenAI source; the key is encrypted at rest (admins and owners)",
  request: { body: body(CreateIntegrationBody) },
  responses: { 201: json(IntegrationSchema, "The new integration"), ...errorResponses, ...conflict },
});

const getIntegrationRoute = createRoute({
  method: "get",
  path: "/api/integrations/{id}",
  operationId: "getIntegration",
  tags: ["integrations"],
  summary: "One integration (key masked)",
  request: { params: IntegrationIdParams },
  responses: { 200: json(IntegrationSchema, "The integration"), ...errorResponses },
});

const updateIntegrationRoute = createRoute({
  method: "patch",
  path: "/api/integrations/{id}",
  operationId: "updateIntegration",
  tags: ["integrations"],
  summary: "Rename, move, re-key or reconfigure an integration (admins and owners)",
  request: { params: IntegrationIdParams, body: body(UpdateIntegrationBody) },
  responses: { 200: json(IntegrationSchema, "The updated integration"), ...errorResponses, ...conflict },
});

const deleteIntegrationRoute = createRoute({
  method: "delete",
  path: "/api/integrations/{id}",
  operationId: "deleteIntegration",
  tags: ["integrations"],
  summary: "Remove an integration; its traces stay, detached (admins and owners)",
  request: { params: IntegrationIdParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses },
});

const testIntegrationConnectionRoute = createRoute({
  method: "post",
  path: "/api/integrations/{id}/test",
  operationId: "testIntegrationConnection",
  tags: ["integrations"],
  summary: "Make a real authenticated call with the stored key; records status and error message",
  request: { params: IntegrationIdParams },
  responses: { 200: json(ConnectionTestSchema, "The outcome (a refused key is `success: false`)"), ...errorResponses },
});

export const integrationsRouter = createRouter()
  .openapi(listIntegrationsRoute, async (c) => {
    const page = await listIntegrations(c.var.ctx, idPageInput(c.req.valid("query")));
    return c.json(toIntegrationPageJson(page), 200);
  })
  .openapi(createIntegrationRoute, async (c) => {
    const { platform, name, api_key, base_url, config } = c.req.valid("json");
    const row = await createIntegration(c.var.ctx, { platform, name, apiKey: api_key, baseUrl: base_url, config });
    return c.json(toIntegrationJson(row), 201);
  })
  .openapi(getIntegrationRoute, async (c) => {
    return c.json(toIntegrationJson(await getIntegration(c.var.ctx, c.req.valid("param").id)), 200);
  })
  .openapi(updateIntegrationRoute, async (c) => {
    const { name, base_url, api_key, config } = c.req.valid("json");
    const input = { name, baseUrl: base_url, apiKey: api_key, config };
    return c.json(toIntegrationJson(await updateIntegration(c.var.ctx, c.req.valid("param").id, input)), 200);
  })
  .openapi(deleteIntegrationRoute, async (c) => {
    await deleteIntegration(c.var.ctx, c.req.valid("param").id);
    return c.body(null, 204);
  })
  .openapi(testIntegrationConnectionRoute, async (c) => {
    const result = await testIntegrationConnection(c.var.ctx, c.req.valid("param").id);
    return c.json(toConnectionTestJson(result), 200);
  });
