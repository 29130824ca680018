import type { QuickJSWASMModule } from "quickjs-emscripten-core";
import { capWasmMemory, type MemoryCap } from "./memory-cap";
import { type EvalOutcome, resolveLimits, type SandboxLimits } from "./types";
import { VmSession } from "./vm-session";

export interface SandboxOptions {
  /** How this host gets the QuickJS WASM module (src/sandbox/load-module-node.ts, …-workerd.ts). */
  loadModule: () => Promise<QuickJSWASMModule>;
  /** Monotonic milliseconds, for durations and the wall-clock backstop. */
  now?: () => number;
}

export interface Sandbox {
  /**
   * Runs one eval over one trace view (any JSON value). Eval failures are outcomes; it rejects only
   * if the WASM module cannot load or the input cannot be serialised as JSON.
   */
  run(source: string, input: unknown, limits?: Partial<SandboxLimits>): Promise<EvalOutcome>;
  /**
   * Compiles the eval once and runs it over every input in one context, in order, one outcome per
   * input. An input that times out, runs out of memory or overflows the stack gets a fresh context
   * for the inputs after it; a crash gets a fresh WASM module.
   */
  runMany(source: string, inputs: readonly unknown[], limits?: Partial<SandboxLimits>): Promise<EvalOutcome[]>;
}

type Opened = { session: VmSession; module: QuickJSWASMModule; openMs: number };
type Loaded = { module: QuickJSWASMModule; cap: MemoryCap };

export function createSandbox(options: SandboxOptions): Sandbox {
  return new QuickJsSandbox(options.loadModule, options.now ?? (() => performance.now()));
}

/**
 * Keeps one WASM module for the life of the sandbox and replaces it after any abort. Batches run
 * one at a time: execution is synchronous anyway, and a batch that breaks the module must not
 * take another batch's inputs down with it.
 */
class QuickJsSandbox implements Sandbox {
  private loaded: Loaded | undefined;
  private loading: Promise<Loaded> | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly loadModule: () => Promise<QuickJSWASMModule>,
    private readonly now: () => number,
  ) {}

  async run(source: string, input: unknown, limits?: Partial<SandboxLimits>): Promise<EvalOutcome> {
    const [outcome] = await this.runMany(source, [input], limits);
    if (!outcome) {
      throw new Error("sandbox produced no outcome");
    }
    return outcome;
  }

  runMany(source: string, inputs: readonly unknown[], limits?: Partial<SandboxLimits>): Promise<EvalOutcome[]> {
    const work = () => this.runBatch(source, inputs, resolveLimits(limits));
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async runBatch(source: string, inputs: readonly unknown[], limits: SandboxLimits): Promise<EvalOutcome[]> {
    const outcomes: EvalOutcome[] = [];
    let opened: Opened | undefined;
    try {
      while (outcomes.length < inputs.length) {
        // Serialised first: a value that is not JSON is the caller's bug and rejects the batch.
        const inputJson = JSON.stringify(inputs[outcomes.length]) ?? "null";
        let openMs = 0;
        if (!opened) {
          const next = await this.open(source, limits);
          if ("failure" in next) {
            // The source itself does not load: every remaining input fails the same way.
            return [...outcomes, ...inputs.slice(outcomes.length).map(() => ({ ...next.failure }))];
          }
          opened = next;
          openMs = next.openMs;
        }
        const outcome = opened.session.runInput(inputJson);
        outcomes.push({ ...outcome, durationMs: outcome.durationMs + openMs });
        if (!opened.session.healthy) {
          this.close(opened);
          opened = undefined;
        }
      }
      return outcomes;
    } finally {
      if (opened) {
        this.close(opened);
      }
    }
  }

  private async open(source: string, limits: SandboxLimits): Promise<Opened | { failure: EvalOutcome }> {
    const { session, module } = await this.newSession(limits);
    const startedAt = this.now();
    const error = session.load(source);
    if (error) {
      const console = session.consoleText();
      this.close({ session, module });
      return { failure: { ok: false, error, console, durationMs: this.now() - startedAt } };
    }
    return { session, module, openMs: this.now() - startedAt };
  }

  private async newSession(limits: SandboxLimits): Promise<{ session: VmSession; module: QuickJSWASMModule }> {
    const { module, cap } = await this.getModule();
    try {
      return { session: new VmSession(module, cap, limits, this.now), module };
    } catch (err) {
      // No eval code has run yet: the module itself is failing, so the next batch gets a new one.
      this.discard(module);
      throw err;
    }
  }

  private close({ session, module }: { session: VmSession; module: QuickJSWASMModule }): void {
    if (!session.dispose()) {
      this.discard(module);
    }
  }

  private getModule(): Promise<Loaded> {
    if (this.loaded) {
      return Promise.resolve(this.loaded);
    }
    this.loading ??= this.loadModule().then(
      (module) => {
        this.loaded = { module, cap: capWasmMemory(module) };
        this.loading = undefined;
        return this.loaded;
      },
      (err: unknown) => {
        this.loading = undefined;
        throw err;
      },
    );
    return this.loading;
  }

  private discard(module: QuickJSWASMModule): void {
    if (this.loaded?.module === module) {
      this.loaded = undefined;
    }
  }
}
