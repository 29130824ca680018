import { parentPort } from "node:worker_threads";
import { AppError } from "../errors";
import { prepareIngestTraces } from "../traces/prepare-ingest";
import type { IngestThreadFailure, IngestThreadReply, IngestThreadRequest } from "./ingest-thread-protocol";
import { sha256Hex } from "./sha256";

// The ingest preparation thread: decodes, maps, summarises, encodes and hashes pushed bodies and sends the
// trace rows back in storage batches; the host writes them while this thread prepares the next request.

const port = parentPort;
if (!port) {
  throw new Error("ingest-thread-worker must run as a worker thread");
}

function failureOf(error: unknown): IngestThreadFailure {
  if (error instanceof AppError) {
    return { code: error.code, message: error.message, details: error.details };
  }
  return { fault: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

function send(reply: IngestThreadReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(reply, transfer);
}

async function prepare({ id, request }: IngestThreadRequest): Promise<void> {
  try {
    for await (const event of prepareIngestTraces(request, sha256Hex)) {
      // Every chunk owns its buffer (chunkUtf8 copies), so the bytes move to the host without a copy.
      const buffers = event.type === "traces" ? event.drafts.flatMap((d) => d.chunks.map((c) => c.buffer)) : [];
      send({ type: "event", id, event }, buffers as ArrayBuffer[]);
    }
    send({ type: "end", id });
  } catch (error) {
    send({ type: "failed", id, failure: failureOf(error) });
  }
}

port.on("message", (message: IngestThreadRequest) => {
  void prepare(message);
});
send({ type: "ready" });
