import { parentPort } from "node:worker_threads";
import { AppError } from "../errors";
import { prepareOtlpTraces } from "../traces/prepare-otlp";
import type { OtlpThreadFailure, OtlpThreadReply, OtlpThreadRequest } from "./otlp-thread-protocol";
import { sha256Hex } from "./sha256";

// The OTLP preparation thread: decodes, maps, summarises, encodes and hashes requests and sends the
// trace rows back in storage batches; the host writes them while this thread prepares the next request.

const port = parentPort;
if (!port) {
  throw new Error("otlp-thread-worker must run as a worker thread");
}

function failureOf(error: unknown): OtlpThreadFailure {
  if (error instanceof AppError) {
    return { code: error.code, message: error.message, details: error.details };
  }
  return { fault: error instanceof Error ? (error.stack ?? error.message) : String(error) };
}

function send(reply: OtlpThreadReply, transfer: ArrayBuffer[] = []): void {
  port?.postMessage(reply, transfer);
}

async function prepare({ id, request }: OtlpThreadRequest): Promise<void> {
  try {
    for await (const event of prepareOtlpTraces(request, sha256Hex)) {
      // Every chunk owns its buffer (chunkUtf8 copies), so the bytes move to the host without a copy.
      const buffers = event.type === "traces" ? event.drafts.flatMap((d) => d.chunks.map((c) => c.buffer)) : [];
      send({ type: "event", id, event }, buffers as ArrayBuffer[]);
    }
    send({ type: "end", id });
  } catch (error) {
    send({ type: "failed", id, failure: failureOf(error) });
  }
}

port.on("message", (message: OtlpThreadRequest) => {
  void prepare(message);
});
send({ type: "ready" });
