import { describe, expect, it } from "vitest";
import { TracePageSchema } from "../../src/api/traces.schemas";
import { storeTraces } from "../../src/traces";
import { makeTestApp, readJson } from "../helpers/app";
import { createWorkspace } from "../helpers/factories";
import { chatTrace, ctxFor } from "../traces/helpers";

describe("GET /api/traces cursor pagination", () => {
  it("walks traces with tied imported_at over many pages, none lost or repeated", async () => {
    const t = await makeTestApp();
    const ws = await createWorkspace(t.db);
    const ctx = ctxFor(t, ws.id);
    const expected: { id: string; importedAt: string; source: string }[] = [];
    // Three imports of 19 traces each: every trace of an import shares its imported_at.
    for (let batch = 0; batch < 3; batch++) {
      const docs = Array.from({ length: 19 }, (_, i) =>
        chatTrace(`b${batch}-${i}`, { source: i % 2 ? "upload" : "otlp" }),
      );
      const { stored } = await storeTraces(ctx, { traces: docs });
      expected.push(...stored.map((s) => ({ id: s.id, importedAt: t.clock.now().toISOString(), source: s.source })));
      t.clock.advance(1000);
    }
    expected.sort((a, b) =>
      a.importedAt === b.importedAt ? (a.id < b.id ? 1 : -1) : a.importedAt < b.importedAt ? 1 : -1,
    );

    const walk = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 100; page++) {
        const url = `/api/traces?limit=7${query}${cursor ? `&cursor=${cursor}` : ""}`;
        const body = TracePageSchema.parse(await readJson(await t.request(url, { workspace: ws.id })));
        seen.push(...body.traces.map((r) => r.id));
        expect(body.has_more).toBe(body.next_cursor !== null);
        if (!body.next_cursor) {
          return { seen, total: body.total_count };
        }
        cursor = body.next_cursor;
        if (page === 1) {
          // A trace imported mid-walk is newer than the cursor: it must not appear later in this walk.
          t.clock.advance(1000);
          await storeTraces(ctx, { traces: [chatTrace(`late-${query}`)] });
        }
      }
      throw new Error("pagination did not end");
    };

    const all = await walk("");
    expect(all.seen).toEqual(expected.map((e) => e.id));
    const uploads = await walk("&source=upload");
    expect(uploads.seen).toEqual(expected.filter((e) => e.source === "upload").map((e) => e.id));
    expect(uploads.total).toBe(27);
  });
});
