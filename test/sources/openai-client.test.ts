import { afterEach, describe, expect, it } from "vitest";
import { ExternalServiceError } from "../../src/errors";
import { OpenAIClient, type OpenAIPage } from "../../src/sources";
import { type OpenAIServer, startOpenAIServer } from "../fixtures/servers/openai";
import { BIG_INTEGER, generateOpenAIFixture, type OpenAIFixture } from "../fixtures/servers/openai-data";
import { allPages, collect } from "./collect";

const servers: OpenAIServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setup(fixture: OpenAIFixture, baseSuffix = "") {
  const server = await startOpenAIServer({ fixture });
  servers.push(server);
  return { server, client: new OpenAIClient(server.apiKey, { baseUrl: `${server.url}${baseSuffix}` }) };
}

const completionsOf = (pages: OpenAIPage[]) => pages.flatMap((p) => p.completions);

describe("OpenAIClient.testConnection", () => {
  it("lists at most one stored completion with the Bearer key", async () => {
    const { server, client } = await setup(generateOpenAIFixture({ completions: 3 }));
    expect(await client.testConnection()).toEqual({ hasStoredCompletions: true });
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
    expect(server.requests[0]?.query.get("limit")).toBe("1");
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${server.apiKey}`);
  });

  it("fails with 401 for a wrong key and never repeats the key in the message", async () => {
    const { server } = await setup(generateOpenAIFixture({ completions: 1 }));
    const key = "sk-proj-wrong-key-abcdef";
    const err = await new OpenAIClient(key, { baseUrl: server.url }).testConnection().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalServiceError);
    expect(err).toMatchObject({ status: 401 });
    expect((err as Error).message).toContain("Incorrect API key provided");
    expect((err as Error).message).not.toContain(key);
  });
});

describe("OpenAIClient.storedCompletions", () => {
  it("pages oldest first with `after` and fetches every message page of each completion", async () => {
    const fixture = generateOpenAIFixture({ completions: 230, messagesPerCompletion: 3 });
    fixture.messages.set(
      "chatcmpl-000007",
      Array.from({ length: 130 }, (_, k) => ({
        id: `m-${k}`,
        role: "user",
        content: `turn ${k}`,
        content_parts: null,
      })),
    );
    const { server, client } = await setup(fixture);
    const pages = await allPages(client.storedCompletions({}));
    expect(pages.map((p) => p.completions.length)).toEqual([100, 100, 30]);
    expect(pages.map((p) => p.done)).toEqual([false, false, true]);
    expect(pages.map((p) => p.resume.after)).toEqual(["chatcmpl-000099", "chatcmpl-000199", "chatcmpl-000229"]);
    const all = completionsOf(pages);
    expect(all.map((c) => c.id)).toEqual(fixture.completions.map((c) => c.id));
    expect(all[0]?.completion.value).toEqual(fixture.completions[0]);
    expect(all[0]?.messages.map((m) => m.value)).toEqual(fixture.messages.get("chatcmpl-000000"));
    expect(all[7]?.messages.map((m) => m.value.id)).toEqual(Array.from({ length: 130 }, (_, k) => `m-${k}`));
    const lists = server.requests.filter((r) => r.path === "/v1/chat/completions");
    expect(lists.map((r) => r.query.get("after"))).toEqual([null, "chatcmpl-000099", "chatcmpl-000199"]);
    expect(lists.every((r) => r.query.get("order") === "asc" && r.query.get("limit") === "100")).toBe(true);
    const longMessages = server.requests.filter((r) => r.path === "/v1/chat/completions/chatcmpl-000007/messages");
    expect(longMessages.map((r) => r.query.get("after"))).toEqual([null, "m-99"]);
  });

  it("continues an incremental sync after the last stored id", async () => {
    const fixture = generateOpenAIFixture({ completions: 12 });
    const { client } = await setup(fixture);
    const pages = await allPages(client.storedCompletions({ limit: 5 }, { after: "chatcmpl-000008" }));
    expect(completionsOf(pages).map((c) => c.id)).toEqual(["chatcmpl-000009", "chatcmpl-000010", "chatcmpl-000011"]);
    const none = await allPages(client.storedCompletions({}, { after: "chatcmpl-000011" }));
    expect(none).toEqual([{ completions: [], resume: { after: "chatcmpl-000011" }, done: true }]);
  });

  it("filters by metadata and model", async () => {
    const fixture = generateOpenAIFixture({ completions: 12 });
    const { server, client } = await setup(fixture);
    const billing = completionsOf(await allPages(client.storedCompletions({ metadata: { agent: "billing" } })));
    expect(billing.map((c) => c.id)).toEqual([
      "chatcmpl-000000",
      "chatcmpl-000003",
      "chatcmpl-000006",
      "chatcmpl-000009",
    ]);
    expect(server.requests[0]?.query.get("metadata[agent]")).toBe("billing");
    const mini = completionsOf(
      await allPages(client.storedCompletions({ metadata: { agent: "billing" }, model: "gpt-4.1-mini-2025-04-14" })),
    );
    expect(mini.map((c) => c.id)).toEqual(["chatcmpl-000000", "chatcmpl-000006"]);
  });

  it("hands back each completion's exact JSON text, keeping integers beyond 2^53", async () => {
    const fixture = generateOpenAIFixture({ completions: 3, bigIntegerAt: 1 });
    const { client } = await setup(fixture);
    const [, big] = completionsOf(await allPages(client.storedCompletions({})));
    expect(big?.completion.text).toContain(`"total_tokens":${BIG_INTEGER}`);
    expect(big?.completion.text.startsWith('{"id":"chatcmpl-000001"')).toBe(true);
    expect(JSON.parse(big?.completion.text ?? "")).toEqual(big?.completion.value);
    expect(big?.messages[0]?.text).toBe(JSON.stringify(fixture.messages.get("chatcmpl-000001")?.[0]));
  });

  it("accepts a base URL that already ends in /v1", async () => {
    const { client } = await setup(generateOpenAIFixture({ completions: 2 }), "/v1/");
    expect(completionsOf(await allPages(client.storedCompletions({})))).toHaveLength(2);
  });

  it("reports a malformed page as a transient 502 and a dropped connection without a status", async () => {
    const { server, client } = await setup(generateOpenAIFixture({ completions: 2 }));
    server.fail({ kind: "malformed", times: 1 });
    const malformed = await collect(client.storedCompletions({}));
    expect(malformed.error).toBeInstanceOf(ExternalServiceError);
    expect(malformed.error).toMatchObject({ status: 502, message: expect.stringContaining("malformed JSON") });
    server.fail({ kind: "disconnect", times: 1 });
    const dropped = await collect(client.storedCompletions({}));
    expect(dropped.error).toBeInstanceOf(ExternalServiceError);
    expect(dropped.error).toMatchObject({
      status: undefined,
      message: expect.stringContaining("could not be reached"),
    });
  });
});
