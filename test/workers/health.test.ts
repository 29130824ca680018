import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("worker host", () => {
  it("serves /health from the Worker's fetch handler", async () => {
    const res = await exports.default.fetch(new Request("http://iofold.test/health"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":"healthy"}');
  });

  it("reaches D1 through /api/health", async () => {
    const res = await exports.default.fetch(new Request("http://iofold.test/api/health"));
    expect(res.status).toBe(200);
    expect((await res.json<{ checks: { database: { ok: boolean } } }>()).checks.database.ok).toBe(true);
  });
});
