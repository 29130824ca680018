import { afterAll, describe, expect, it } from "vitest";
import { otlpRequest } from "../../bench/lib/otlp-workload";
import { AppError } from "../../src/errors";
import { createIngestThreadPool } from "../../src/runtime/ingest-threads";
import { sha256Hex } from "../../src/runtime/sha256";
import {
  type IngestPrepareEvent,
  type IngestPrepareRequest,
  type IngestPreparer,
  prepareIngestTraces,
} from "../../src/traces/prepare-ingest";
import { fixtureJson, fixtureText } from "../ingest/fixtures";
import { protoFromJson } from "../ingest/otlp/proto-encode";

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

type OtlpPrepareRequest = Extract<IngestPrepareRequest, { format: "otlp" }>;

function request(body: Uint8Array, overrides: Partial<OtlpPrepareRequest> = {}): OtlpPrepareRequest {
  return {
    format: "otlp",
    body,
    contentType: "application/json",
    contentEncoding: null,
    maxBytes: 64 * 1024 * 1024,
    maxTraceBytes: 20 * 1024 * 1024,
    ...overrides,
  };
}

async function collect(preparer: IngestPreparer, input: IngestPrepareRequest): Promise<IngestPrepareEvent[]> {
  const events: IngestPrepareEvent[] = [];
  for await (const event of preparer(input)) {
    events.push(event);
  }
  return events;
}

const inline: IngestPreparer = (input) => prepareIngestTraces(input, sha256Hex);

const upload = (body: Uint8Array, contentType = "application/x-ndjson"): IngestPrepareRequest => ({
  format: "upload",
  body,
  contentType,
  maxTraceBytes: 20 * 1024 * 1024,
});

describe("ingest preparation threads", () => {
  const pool = createIngestThreadPool({ threads: 2 });
  afterAll(() => pool.close());

  it("yields exactly what in-process preparation yields, for OTLP JSON, protobuf and uploads, with every chunk's bytes", async () => {
    await pool.ready();
    const fixture = fixtureJson("otlp/openinference-agent.json");
    const uploadFile = fixtureText("upload/traces.jsonl");
    const bodies = [
      () => request(encode(fixture)),
      () => request(protoFromJson(fixture), { contentType: "application/x-protobuf" }),
      () => request(encode(otlpRequest(3, 200, 10))),
      () => upload(new TextEncoder().encode(uploadFile)),
    ];
    for (const body of bodies) {
      const threaded = await collect(pool.prepare, body());
      expect(threaded).toEqual(await collect(inline, body()));
      expect(threaded.some((e) => e.type === "traces" && e.drafts.length > 0)).toBe(true);
    }
  });

  it("copies a body that is a view into a larger buffer, leaving the caller's buffer usable", async () => {
    const payload = encode(otlpRequest(1, 20, 10));
    const backing = new Uint8Array(payload.length + 16);
    backing.set(payload, 8);
    const view = backing.subarray(8, 8 + payload.length);
    const events = await collect(pool.prepare, request(view));
    expect(events.flatMap((e) => (e.type === "traces" ? e.drafts.map((d) => d.externalId) : []))).toHaveLength(2);
    expect(backing.byteLength).toBe(payload.length + 16); // not detached
    expect(new TextDecoder().decode(view)).toBe(new TextDecoder().decode(payload));
  });

  it("fails with the parser's AppError for a body that is not an export request or an upload", async () => {
    for (const [input, code] of [
      [upload(encode({ spans: "none" }), "application/json"), "VALIDATION_ERROR"],
      [upload(encode({}), "text/csv"), "UNSUPPORTED_MEDIA_TYPE"],
      [request(encode("not an object")), "VALIDATION_ERROR"],
      [request(new TextEncoder().encode("{")), "VALIDATION_ERROR"],
      [request(encode({}), { contentType: "text/plain" }), "UNSUPPORTED_MEDIA_TYPE"],
      [request(new Uint8Array([1, 2, 3]), { contentEncoding: "gzip" }), "VALIDATION_ERROR"],
    ] as const) {
      const failure = await collect(pool.prepare, input).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppError);
      expect((failure as AppError).code).toBe(code);
    }
  });

  it("keeps concurrent requests apart: each gets its own traces, in order", async () => {
    const runs = await Promise.all(
      Array.from({ length: 12 }, (_, r) => collect(pool.prepare, request(encode(otlpRequest(r, 30, 10))))),
    );
    runs.forEach((events, r) => {
      const ids = events.flatMap((e) => (e.type === "traces" ? e.drafts.map((d) => d.externalId) : []));
      expect(ids).toEqual([0, 1, 2].map((t) => (r * 3 + t + 1).toString(16).padStart(32, "0")));
    });
  });
});

describe("closing the ingest threads", () => {
  it("fails the requests in flight and every later one", async () => {
    const pool = createIngestThreadPool({ threads: 1 });
    await pool.ready();
    const inFlight = collect(pool.prepare, request(encode(otlpRequest(0, 5000, 10)))).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await pool.close();
    expect(await inFlight).toBeInstanceOf(Error);
    await expect(collect(pool.prepare, request(encode(otlpRequest(0, 10, 10))))).rejects.toThrow(/closed/);
  });
});
