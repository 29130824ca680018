import type { QuickJSWASMModule } from "quickjs-emscripten-core";

const wasmPageBytes = 64 * 1024;

export interface MemoryCap {
  /** Lets the module's linear memory grow to at most `bytes` (it never shrinks below its size at load). */
  setBudget(bytes: number): void;
  /** How many growth requests were refused so far: a rise during an input means it hit the budget. */
  refusals(): number;
}

/**
 * QuickJS's own memory limit is not enough in this build: without malloc_usable_size it counts
 * 8 bytes per allocation, so it stops single huge allocations but not many large ones (1 MiB
 * buffers or long strings grew the module to its 2 GiB maximum under a "32 MiB" limit). The real
 * host cost is the WASM linear memory, and Emscripten grows it through `memory.grow`, treating a
 * throw as "no more memory": refusing growth past the budget makes malloc fail, and QuickJS turns
 * that into a catchable "out of memory" at the allocation that crossed the line. The budget bounds
 * the module as a whole, so the host never holds more than it for sandboxed code; one eval gets
 * that minus the engine's own couple of MiB.
 *
 * @throws if the module does not expose its WebAssembly.Memory (evals would then be uncapped).
 */
export function capWasmMemory(module: QuickJSWASMModule): MemoryCap {
  const memory = module.getWasmMemory();
  let maxBytes = memory.buffer.byteLength;
  let refused = 0;
  const grow = memory.grow.bind(memory);
  memory.grow = (deltaPages: number) => {
    if (memory.buffer.byteLength + deltaPages * wasmPageBytes > maxBytes) {
      refused += 1;
      throw new RangeError("sandbox memory budget exhausted");
    }
    return grow(deltaPages);
  };
  return {
    setBudget(bytes) {
      maxBytes = bytes;
    },
    refusals: () => refused,
  };
}
