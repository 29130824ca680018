import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * A worker thread running a TypeScript entry of this package. Node 20 cannot run TypeScript, and
 * loader hooks of the main thread do not reach workers, so the thread loads its entry through tsx's
 * API, as `npm start` runs the main thread through tsx. The host's flags (tsx's loader, vitest's)
 * are not meant for the thread: it starts with none.
 */
export function startTsWorker(entry: URL, options: Omit<WorkerOptions, "execArgv" | "eval">): Worker {
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const boot = `const { tsImport } = await import(${JSON.stringify(tsxApi)});
await tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { ...options, execArgv: [] });
}
