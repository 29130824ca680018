import { afterEach, describe, expect, it } from "vitest";
import type { Ctx } from "../../src/context";
import { AppError } from "../../src/errors";
import { createIntegration, openSourceClient } from "../../src/integrations";
import type { FixtureServer } from "../fixtures/servers/http-server";
import { startLangfuseServer } from "../fixtures/servers/langfuse";
import { generateLangfuseFixture } from "../fixtures/servers/langfuse-data";
import { startLangSmithServer } from "../fixtures/servers/langsmith";
import { generateLangSmithFixture } from "../fixtures/servers/langsmith-data";
import { startOpenAIServer } from "../fixtures/servers/openai";
import { generateOpenAIFixture } from "../fixtures/servers/openai-data";
import { makeTestApp } from "../helpers/app";
import { createIntegration as createIntegrationRow, createWorkspace } from "../helpers/factories";
import { allPages } from "../sources/collect";

const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function ownerCtx(): Promise<Ctx> {
  const t = await makeTestApp();
  const ws = await createWorkspace(t.db);
  return {
    db: t.db,
    workspaceId: ws.id,
    actor: { kind: "local", role: "owner", apiKeyId: undefined },
    requestId: "r",
    deps: t.deps,
  };
}

const WINDOW = { fromStartTime: "2026-05-01T00:00:00.000Z", toStartTime: "2026-06-01T00:00:00.000Z" };

describe("openSourceClient", () => {
  it("opens a Langfuse client on the stored base URL and key, with the score options", async () => {
    const ctx = await ownerCtx();
    const server = await startLangfuseServer({ fixture: generateLangfuseFixture({ traces: 4 }) });
    servers.push(server);
    const row = await createIntegration(ctx, {
      platform: "langfuse",
      name: "lf",
      apiKey: server.apiKey,
      baseUrl: server.url,
      config: { import_scores: true, score_name: "helpful" },
    });
    const source = await openSourceClient(ctx.deps, row);
    if (source.platform !== "langfuse") {
      throw new Error("expected a Langfuse client");
    }
    expect([source.importScores, source.scoreName]).toEqual([true, "helpful"]);
    const pages = await allPages(source.client.observations(WINDOW));
    expect(pages.flatMap((p) => (p.api === "v2" ? p.observations : []))).toHaveLength(12);
  });

  it("opens a LangSmith client that resolves the configured project by name", async () => {
    const ctx = await ownerCtx();
    const fixture = generateLangSmithFixture({ traces: 3 });
    const server = await startLangSmithServer({ fixture });
    servers.push(server);
    const row = await createIntegration(ctx, {
      platform: "langsmith",
      name: "ls",
      apiKey: server.apiKey,
      baseUrl: server.url,
      config: { project_name: fixture.projectName },
    });
    const source = await openSourceClient(ctx.deps, row);
    if (source.platform !== "langsmith") {
      throw new Error("expected a LangSmith client");
    }
    const projectId = await source.client.resolveProjectId(source.project);
    const query = { projectId, minStartTime: WINDOW.fromStartTime, maxStartTime: WINDOW.toStartTime };
    const pages = await allPages(source.client.traces(query));
    expect(pages.flatMap((p) => p.traces)).toHaveLength(3);
  });

  it("opens an OpenAI client with the configured metadata and model filters", async () => {
    const ctx = await ownerCtx();
    const server = await startOpenAIServer({ fixture: generateOpenAIFixture({ completions: 9 }) });
    servers.push(server);
    const row = await createIntegration(ctx, {
      platform: "openai",
      name: "oa",
      apiKey: server.apiKey,
      baseUrl: server.url,
      config: { metadata: { agent: "billing" }, model: "gpt-4.1-mini-2025-04-14" },
    });
    const source = await openSourceClient(ctx.deps, row);
    if (source.platform !== "openai") {
      throw new Error("expected an OpenAI client");
    }
    const pages = await allPages(source.client.storedCompletions(source.filters));
    expect(pages.flatMap((p) => p.completions).map((c) => c.id)).toEqual(["chatcmpl-000000", "chatcmpl-000006"]);
  });

  it("fails with CONFIGURATION_ERROR when the stored key cannot be decrypted", async () => {
    const ctx = await ownerCtx();
    const row = await createIntegrationRow(ctx.db, { id: ctx.workspaceId });
    const err = await openSourceClient(ctx.deps, row).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("CONFIGURATION_ERROR");
  });
});
