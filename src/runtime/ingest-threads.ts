import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import { AppError } from "../errors";
import type { IngestPrepareEvent, IngestPrepareRequest, IngestPreparer } from "../traces/prepare-ingest";
import type { IngestThreadFailure, IngestThreadReply, IngestThreadRequest } from "./ingest-thread-protocol";
import { startTsWorker } from "./ts-worker";

/**
 * Young-generation cap of a thread. Decoding allocates a request's whole object graph and drops it
 * soon after; a larger young generation lets most of it die there instead of being promoted and
 * marked (about a tenth of ingest time with the default).
 */
const youngGenerationMb = 64;

/** Events of one request as they arrive from its thread, read once, in order. */
class EventChannel {
  private readonly events: IngestPrepareEvent[] = [];
  private ended = false;
  private error: Error | undefined;
  private wake: (() => void) | undefined;

  push(event: IngestPrepareEvent): void {
    this.events.push(event);
    this.notify();
  }

  end(error?: Error): void {
    this.ended = true;
    this.error = error;
    this.notify();
  }

  async *drain(): AsyncGenerator<IngestPrepareEvent> {
    for (;;) {
      const next = this.events.shift();
      if (next) {
        yield next;
      } else if (this.ended) {
        if (this.error) {
          throw this.error;
        }
        return;
      } else {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

function errorOf(failure: IngestThreadFailure): Error {
  return "fault" in failure
    ? new Error(`Ingest preparation failed: ${failure.fault}`)
    : new AppError(failure.code, failure.message, failure.details);
}

/** One worker thread and the requests it is working on. */
class IngestThread {
  readonly inFlight = new Map<number, EventChannel>();
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private deathError: Error | undefined;
  private nextId = 1;

  constructor(onExit: (thread: IngestThread) => void) {
    // No old-generation cap: a worker hitting one can abort the whole process (nodejs/node#47224).
    // Bodies are bounded by config.maxBodyBytes instead, before and after decompression.
    this.worker = startTsWorker(new URL("./ingest-thread-worker.ts", import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb },
    });
    this.worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.worker.on("message", (reply: IngestThreadReply) => {
        if (reply.type === "ready") {
          resolve();
        } else {
          this.onReply(reply);
        }
      });
      this.worker.on("error", (error) => {
        this.deathError = error;
      });
      this.worker.on("exit", () => {
        const why = this.deathError ? `: ${this.deathError.message}` : "";
        const error = new Error(`The ingest preparation thread stopped${why}`);
        reject(error);
        for (const channel of this.inFlight.values()) {
          channel.end(error);
        }
        this.inFlight.clear();
        onExit(this);
      });
    });
    this.ready.catch(() => undefined); // a start failure is reported through ready() or the request
  }

  submit(request: IngestPrepareRequest): EventChannel {
    const id = this.nextId++;
    const channel = new EventChannel();
    // The body moves to the thread rather than being copied; a view into a larger buffer is copied first.
    const { body } = request;
    const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : body.slice();
    const message: IngestThreadRequest = { id, request: { ...request, body: owned } };
    this.worker.postMessage(message, [owned.buffer as ArrayBuffer]);
    this.inFlight.set(id, channel);
    // A thread with work keeps the process alive, or an awaited request would be lost at exit.
    this.worker.ref();
    return channel;
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private onReply(reply: Exclude<IngestThreadReply, { type: "ready" }>): void {
    const channel = this.inFlight.get(reply.id);
    if (!channel) {
      return;
    }
    if (reply.type === "event") {
      channel.push(reply.event);
      return;
    }
    channel.end(reply.type === "failed" ? errorOf(reply.failure) : undefined);
    this.inFlight.delete(reply.id);
    if (this.inFlight.size === 0) {
      this.worker.unref();
    }
  }
}

export interface IngestThreadPool {
  /** The Deps.prepareIngest of the Node host. */
  prepare: IngestPreparer;
  /** Resolves once every thread has loaded; rejects when one fails to start. */
  ready(): Promise<void>;
  /** Fails requests in flight and ends the threads; later requests fail. */
  close(): Promise<void>;
}

export interface IngestThreadPoolOptions {
  /** Threads; default one per core beyond the first, at most two. */
  threads?: number;
}

/**
 * Preparation of pushed bodies (OTLP exports, uploads) on worker threads, for the Node host:
 * decoding, mapping, summaries, encoding and hashing (src/traces/prepare-ingest.ts) leave the main
 * thread, which meanwhile serves other requests and writes what is already prepared. Exporters send
 * several requests at once (an OTel Collector's sending queue has 10 consumers by default), so writes
 * and decoding overlap. A request goes to the thread with the least in flight; a thread that dies
 * fails its requests (500) and is replaced.
 */
export function createIngestThreadPool(options: IngestThreadPoolOptions = {}): IngestThreadPool {
  const count = options.threads ?? Math.max(1, Math.min(2, availableParallelism() - 1));
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(`threads must be a positive integer, got ${count}`);
  }
  let closed = false;
  const threads = new Set<IngestThread>();
  const start = () => {
    threads.add(
      new IngestThread((gone) => {
        threads.delete(gone);
        if (!closed) {
          start();
        }
      }),
    );
  };
  for (let i = 0; i < count; i++) {
    start();
  }
  const leastBusy = (): IngestThread => {
    let best: IngestThread | undefined;
    for (const thread of threads) {
      if (!best || thread.inFlight.size < best.inFlight.size) {
        best = thread;
      }
    }
    if (!best || closed) {
      throw new Error("The ingest preparation threads are closed");
    }
    return best;
  };
  return {
    async *prepare(request) {
      yield* leastBusy().submit(request).drain();
    },
    async ready() {
      await Promise.all([...threads].map((thread) => thread.ready));
    },
    async close() {
      closed = true;
      await Promise.all([...threads].map((thread) => thread.terminate()));
    },
  };
}
