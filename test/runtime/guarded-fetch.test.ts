import { afterEach, describe, expect, it } from "vitest";
import { ADDRESS_REFUSED_CODE, ExternalServiceError } from "../../src/errors";
import { classifyError } from "../../src/jobs/errors";
import { createGuardedFetch } from "../../src/runtime/guarded-fetch";
import { SourceHttp } from "../../src/sources/http";
import { type FixtureServer, json, startFixtureServer } from "../fixtures/servers/http-server";

const servers: FixtureServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A local server; `/away` redirects to an address in 10/8. */
async function server() {
  const started = await startFixtureServer({
    authorize: () => true,
    unauthorized: json(401, {}),
    handle: (req) =>
      req.path === "/away"
        ? { status: 302, text: "", headers: { location: "http://10.1.2.3:8080/inside" } }
        : json(200, { ok: true }),
  });
  servers.push(started);
  return { ...started, port: new URL(started.url).port };
}

async function refusalOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TypeError); // fetch's "fetch failed", the refusal as its cause
  const cause = (error as { cause?: Error & { code?: string } }).cause;
  expect(cause?.code).toBe(ADDRESS_REFUSED_CODE);
  return cause as Error & { code?: string };
}

describe("the guarded outbound fetch", () => {
  it("refuses a name that resolves to a loopback address, and loopback literals, before connecting", async () => {
    const { port } = await server();
    const guarded = createGuardedFetch();
    const byName = await refusalOf(guarded(`http://localhost:${port}/`, {}));
    expect(byName.message).toMatch(/^refused: localhost resolves to (127\.0\.0\.1|::1)/);
    expect(byName.message).toContain("ALLOW_PRIVATE_SOURCE_URLS");
    await refusalOf(guarded(`http://127.0.0.1:${port}/`, {}));
    await refusalOf(guarded(`http://[::1]:${port}/`, {}));
    await refusalOf(guarded("http://169.254.169.254/latest/meta-data/", {}));
  });

  it("connects where the policy allows, and checks where a redirect leads", async () => {
    const { port } = await server();
    const guarded = createGuardedFetch((address) => address.startsWith("10."));
    const ok = await guarded(`http://127.0.0.1:${port}/`, {});
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    const viaName = await guarded(`http://localhost:${port}/`, {});
    expect(viaName.status).toBe(200);
    const redirected = await refusalOf(guarded(`http://127.0.0.1:${port}/away`, {}));
    expect(redirected.message).toMatch(/^refused: 10\.1\.2\.3 resolves to 10\.1\.2\.3/);
  });

  it("reaches a source client as a clear, permanent failure", async () => {
    const { url } = await server();
    const http = new SourceHttp("Fixture", url.replace("127.0.0.1", "localhost"), {}, [], {
      fetch: createGuardedFetch(),
    });
    const error = await http.get("/items").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalServiceError);
    expect((error as Error).message).toMatch(/could not be reached \(refused: localhost resolves to/);
    expect(classifyError(error)).toMatchObject({ category: "permanent_auth", retryable: false });
  });
});
