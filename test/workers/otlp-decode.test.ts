import { describe, expect, it } from "vitest";
import { parseOtlpJson, parseOtlpRequest } from "../../src/ingest/otlp";
import agent from "../fixtures/otlp/openinference-agent.json";
import { protoFromJson } from "../ingest/otlp/proto-encode";

// The OTLP decoders must run unchanged in workerd: generated protobuf code (no eval) and the web
// DecompressionStream for gzip.

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe("OTLP decoding in workerd", () => {
  it("decodes gzip-compressed protobuf and JSON bodies to the same traces", async () => {
    const json = JSON.stringify(agent);
    const expected = parseOtlpJson(json);
    expect(expected).toMatchObject({ ok: true, spanCount: 2 });
    const proto = await parseOtlpRequest({
      body: await gzip(protoFromJson(agent)),
      contentType: "application/x-protobuf",
      contentEncoding: "gzip",
      maxBytes: 1_000_000,
    });
    const viaJson = await parseOtlpRequest({
      body: await gzip(new TextEncoder().encode(json)),
      contentType: "application/json",
      contentEncoding: "gzip",
      maxBytes: 1_000_000,
    });
    expect(proto).toEqual(expected);
    expect(viaJson).toEqual(expected);
  });

  it("caps a gzip bomb at the size limit", async () => {
    const result = await parseOtlpRequest({
      body: await gzip(new Uint8Array(2 * 1024 * 1024)),
      contentType: "application/json",
      contentEncoding: "gzip",
      maxBytes: 64 * 1024,
    });
    expect(result).toMatchObject({ ok: false, error: { code: "PAYLOAD_TOO_LARGE" } });
  });
});
