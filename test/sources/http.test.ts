import { afterEach, describe, expect, it } from "vitest";
import { AppError, ExternalServiceError } from "../../src/errors";
import { parseRetryAfter } from "../../src/sources";
import { type FetchFn, SourceHttp, toQueryString } from "../../src/sources/http";
import { arrayItemTexts } from "../../src/sources/json-text";
import { paginate } from "../../src/sources/paging";
import { type FixtureServer, json, startFixtureServer } from "../fixtures/servers/http-server";
import { createFakeClock } from "../helpers/clock";
import { collect } from "./collect";

const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function echoServer() {
  const server = await startFixtureServer({
    authorize: (req) => req.headers.authorization === "Token good-secret",
    unauthorized: json(401, { message: "bad token good-secret is not good-secret" }),
    handle: (req) => json(200, { path: req.path, query: Object.fromEntries(req.query), body: req.body ?? null }),
  });
  servers.push(server);
  return server;
}

const clock = createFakeClock("2026-05-01T00:00:00.000Z");
const httpFor = (url: string, options: { fetch?: FetchFn; maxResponseBytes?: number } = {}) =>
  new SourceHttp("Fixture", url, { authorization: "Token good-secret" }, ["good-secret"], { clock, ...options });

async function failure(promise: Promise<unknown>): Promise<ExternalServiceError> {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ExternalServiceError);
  return err as ExternalServiceError;
}

describe("SourceHttp errors", () => {
  it("answers parsed JSON and its exact text, GET with repeated array params and POST with a JSON body", async () => {
    const server = await echoServer();
    const http = httpFor(`${server.url}/prefix/`);
    const got = await http.get("/items", { tags: ["a", "b"], limit: 5, skip: undefined, cursor: null });
    expect(got.value).toEqual({ path: "/prefix/items", query: { tags: "b", limit: "5" }, body: null });
    expect(server.requests[0]?.query.getAll("tags")).toEqual(["a", "b"]);
    expect(JSON.parse(got.text)).toEqual(got.value);
    const posted = await http.post("/query", { x: 1 });
    expect(posted.value).toMatchObject({ body: { x: 1 } });
    expect(server.requests[1]?.headers["content-type"]).toBe("application/json");
  });

  it("classifies 401 by status and redacts the secret from the message", async () => {
    const server = await echoServer();
    const http = new SourceHttp("Fixture", server.url, { authorization: "Token wrong" }, ["good-secret"], {});
    const err = await failure(http.get("/x"));
    expect(err.status).toBe(401);
    expect(err.retryAfterMs).toBeUndefined();
    expect(err.message).toBe('Fixture answered 401 to GET /x: {"message":"bad token ******** is not ********"}');
  });

  it("reads Retry-After as seconds or as an HTTP date on 429 and 503", async () => {
    const server = await echoServer();
    const http = httpFor(server.url);
    server.fail({ kind: "status", status: 429, retryAfter: "12", times: 1 });
    expect(await failure(http.get("/x"))).toMatchObject({ status: 429, retryAfterMs: 12_000 });
    server.fail({ kind: "status", status: 503, retryAfter: "Fri, 01 May 2026 00:01:30 GMT", times: 1 });
    expect(await failure(http.get("/x"))).toMatchObject({ status: 503, retryAfterMs: 90_000 });
    server.fail({ kind: "status", status: 500, retryAfter: "5", times: 1 });
    expect(await failure(http.get("/x"))).toMatchObject({ status: 500, retryAfterMs: undefined });
    server.fail({ kind: "status", status: 429, times: 1 });
    expect(await failure(http.get("/x"))).toMatchObject({ status: 429, retryAfterMs: undefined });
  });

  it("reports an unreachable server and a timeout without a status", async () => {
    const server = await echoServer();
    const url = server.url;
    await server.close();
    const refused = await failure(httpFor(url).get("/x"));
    expect(refused.status).toBeUndefined();
    expect(refused.message).toContain("could not be reached");
    let signal: AbortSignal | null | undefined;
    const timingOut: FetchFn = async (_input, init) => {
      signal = init.signal;
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    };
    const timedOut = await failure(httpFor("http://127.0.0.1:9", { fetch: timingOut }).get("/x"));
    expect(timedOut).toMatchObject({ status: undefined, message: "Fixture GET /x timed out after 30000 ms" });
    expect(signal).toBeInstanceOf(AbortSignal);
  });

  it("treats a malformed body as a 502 and refuses an oversized one", async () => {
    const server = await echoServer();
    server.fail({ kind: "malformed", times: 1 });
    expect(await failure(httpFor(server.url).get("/x"))).toMatchObject({ status: 502 });
    const tooBig = await httpFor(server.url, { maxResponseBytes: 10 })
      .get("/x")
      .catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(AppError);
    expect((tooBig as AppError).code).toBe("PAYLOAD_TOO_LARGE");
  });
});

describe("paginate", () => {
  it("stops when a server hands back the position it was asked for", async () => {
    const pages = paginate("Fixture", 100, "c1", async () => ({ resume: "c1", done: false }));
    const { pages: seen, error } = await collect(pages);
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ status: 502, message: "Fixture returned the same page position twice; stopping" });
  });
});

describe("parseRetryAfter", () => {
  const now = new Date("2026-05-01T00:00:00.000Z");
  it("reads seconds, HTTP dates (past ones as zero) and ignores junk", () => {
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 3 ", now)).toBe(3000);
    expect(parseRetryAfter("Fri, 01 May 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Thu, 30 Apr 2026 00:00:10 GMT", now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-5", now)).toBeUndefined();
  });
});

describe("arrayItemTexts", () => {
  it("splits the top-level array into exact item texts, whatever the spacing, strings and nesting", () => {
    const text =
      '{ "object":"list", "x": {"data": [1]}, "data" : [ {"a":"]}\\"","n":12345678901234567890} ,[1,[2]], "s", 3 ], "has_more":false}';
    expect(arrayItemTexts(text, "data")).toEqual(['{"a":"]}\\"","n":12345678901234567890}', "[1,[2]]", '"s"', "3"]);
    expect(arrayItemTexts('{"data":[]}', "data")).toEqual([]);
    expect(arrayItemTexts('{"other":[1]}', "data")).toBeNull();
    expect(arrayItemTexts("[1,2]", "data")).toBeNull();
    expect(arrayItemTexts('{"data":{"a":1}}', "data")).toBeNull();
  });

  it("agrees with JSON.parse on every item", () => {
    const value = { data: [{ k: "v\u00e9\n" }, null, true, -1.5e3, { nested: { data: [1, 2] } }], tail: "]" };
    const text = JSON.stringify(value, null, 2);
    expect(arrayItemTexts(text, "data")?.map((t) => JSON.parse(t))).toEqual(value.data);
  });
});

describe("toQueryString", () => {
  it("is empty without values", () => {
    expect(toQueryString({ a: undefined, b: null })).toBe("");
    expect(toQueryString({ "metadata[k]": "v w" })).toBe("?metadata%5Bk%5D=v+w");
  });
});
