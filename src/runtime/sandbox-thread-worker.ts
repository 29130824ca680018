// Entry of one sandbox worker thread (started by src/runtime/sandbox-thread.ts): a QuickJS sandbox
// that answers one request at a time. Everything here may be stopped mid-call by the host.
import { parentPort, workerData } from "node:worker_threads";
import { createSandbox } from "../sandbox";
import { loadQuickJsModuleForNode } from "../sandbox/load-module-node";
import type { ThreadConfig, ThreadReply, ThreadRequest } from "./sandbox-thread-protocol";

const warmUpSource = "function evaluate() { return true; }";

async function serve(): Promise<void> {
  const port = parentPort;
  if (!port) {
    throw new Error("sandbox-thread-worker.ts runs only as a worker thread");
  }
  const config = workerData as ThreadConfig;
  const beats = new Int32Array(config.heartbeat);
  let moduleLoads = 0;
  const sandbox = createSandbox({
    loadModule: () => {
      moduleLoads += 1;
      return loadQuickJsModuleForNode();
    },
    now: () => {
      Atomics.add(beats, 0, 1);
      return config.frozenClock ? 0 : performance.now();
    },
  });
  const answer = async ({ id, source, inputs, limits }: ThreadRequest): Promise<ThreadReply> => {
    try {
      const outcomes = await sandbox.runMany(source, inputs, limits);
      return { type: "done", id, outcomes, moduleLoads };
    } catch (err) {
      return { type: "failed", id, message: err instanceof Error ? err.message : String(err), moduleLoads };
    }
  };
  port.on("message", (request: ThreadRequest) => {
    answer(request).then((reply) => port.postMessage(reply));
  });
  // Load the WASM module before taking work, so neither the host's watchdog nor the first eval pays
  // for it, and a module that cannot load fails the thread's start instead of an eval.
  await sandbox.run(warmUpSource, null);
  port.postMessage({ type: "ready", moduleLoads } satisfies ThreadReply);
}

await serve();
