import type { QuickJSContext, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten-core";
import { classifyThrow, memoryError, outputTooLarge, parseCallRecord, toVerdict } from "./call-result";
import { ConsoleCapture } from "./console-capture";
import { evaluateExportOrder, toModuleSource } from "./eval-source";
import type { MemoryCap } from "./memory-cap";
import { preludeSource } from "./prelude";
import { TickMeter } from "./tick-meter";
import type { EvalFailure, EvalOutcome, SandboxLimits } from "./types";

type Step = { ok: true; pass: boolean; score: number | null; reason: string } | { ok: false; error: EvalFailure };

/** Extra ticks granted to read an error the eval threw, so a spent budget still yields a message. */
const describeTicks = 20;

/**
 * One QuickJS runtime + context holding one compiled eval. Each input gets its own tick budget,
 * deadline and console capture; the session stays usable until an input fails in a way that can
 * leave the VM inconsistent (`healthy` false), and a host-side exception out of the WASM marks the
 * whole module unusable (`moduleBroken`).
 */
export class VmSession {
  healthy = true;
  moduleBroken = false;
  private readonly rt: QuickJSRuntime;
  private readonly ctx: QuickJSContext;
  private readonly capture: ConsoleCapture;
  private readonly call: QuickJSHandle;
  private readonly describe: QuickJSHandle;
  private readonly meter: TickMeter;
  private evaluate: QuickJSHandle | undefined;

  /** Throws only when the WASM module itself fails before any eval code runs. */
  constructor(
    module: QuickJSWASMModule,
    private readonly cap: MemoryCap,
    private readonly limits: SandboxLimits,
    private readonly now: () => number,
  ) {
    cap.setBudget(limits.memoryBytes);
    this.meter = new TickMeter(limits, now);
    this.capture = new ConsoleCapture(limits.consoleChars);
    this.rt = module.newRuntime();
    this.rt.setMemoryLimit(limits.memoryBytes);
    this.rt.setMaxStackSize(limits.stackBytes);
    this.rt.setInterruptHandler(this.meter.shouldInterrupt);
    // Static and dynamic imports reach this loader: evals get no modules, with a clear message.
    this.rt.setModuleLoader((name) => ({ error: new Error(`import of '${name}' is not available in evals`) }));
    this.ctx = this.rt.newContext();
    this.meter.start();
    const installed = this.install();
    this.call = installed.call;
    this.describe = installed.describe;
  }

  /** Compiles and runs the eval's module body, then finds `evaluate`. Undefined on success. */
  load(source: string): EvalFailure | undefined {
    this.meter.start();
    const refusedBefore = this.cap.refusals();
    const error = this.guard(
      () => this.loadModule(source),
      (crash) => crash,
    );
    const checked = this.checkMemory(refusedBefore, error ? { ok: false as const, error } : undefined);
    return checked && !checked.ok ? checked.error : undefined;
  }

  /** `inputJson` is the trace view as JSON text; the eval receives its `JSON.parse`. */
  runInput(inputJson: string): EvalOutcome {
    const startedAt = this.now();
    this.capture.reset();
    this.meter.start();
    const refusedBefore = this.cap.refusals();
    const step = this.checkMemory(
      refusedBefore,
      this.guard<Step>(
        () => this.invoke(inputJson),
        (error) => ({ ok: false, error }),
      ),
    );
    const durationMs = this.now() - startedAt;
    const console = this.capture.text();
    if (step.ok) {
      const { pass, score, reason } = step;
      return { ok: true, pass, score, reason, console, durationMs, ticks: this.meter.ticks };
    }
    return { ok: false, error: step.error, console, durationMs };
  }

  /** Console captured during `load` (top-level `console.log` in the eval's module body). */
  consoleText(): string {
    return this.capture.text();
  }

  /** Returns false when freeing the runtime aborted the WASM module (it must then be replaced). */
  dispose(): boolean {
    if (this.moduleBroken) {
      // Touching a WASM instance that already failed can only fail again; it is dropped whole.
      return false;
    }
    try {
      for (const handle of [this.evaluate, this.call, this.describe]) {
        if (handle?.alive) {
          handle.dispose();
        }
      }
      this.ctx.dispose();
      this.rt.dispose();
      return true;
    } catch {
      // After a stack overflow or an out-of-memory QuickJS can leak objects, and JS_FreeRuntime then
      // aborts the whole WASM instance (toolchain.md §7).
      this.moduleBroken = true;
      return false;
    }
  }

  /**
   * When the memory cap refused growth, QuickJS may report it oddly (a thrown `null` once it cannot
   * even allocate the error) and may have leaked: the failure is a memory failure and the context
   * is not reused.
   */
  private checkMemory<T extends Step | undefined>(refusedBefore: number, step: T): T | Step {
    if (this.cap.refusals() === refusedBefore) {
      return step;
    }
    this.healthy = false;
    if (!step || step.ok || step.error.kind === "timeout" || step.error.kind === "crashed") {
      return step;
    }
    return { ok: false, error: memoryError(this.limits) };
  }

  /** Turns host-side exceptions out of the WASM into outcomes; the module is then unusable. */
  private guard<T>(work: () => T, crashed: (error: EvalFailure) => T): T {
    try {
      return work();
    } catch (err) {
      this.healthy = false;
      this.moduleBroken = true;
      const detail = err instanceof Error ? err.message : String(err);
      // V8's own stack can run out inside the WASM before QuickJS's limit trips (deep JSON nesting).
      const error: EvalFailure =
        err instanceof RangeError
          ? { kind: "stack", message: `stack overflow: the eval exhausted the host stack (${detail})` }
          : { kind: "crashed", message: `the sandbox crashed and was restarted: ${detail}` };
      return crashed(error);
    }
  }

  private install(): { call: QuickJSHandle; describe: QuickJSHandle } {
    const { ctx } = this;
    const emit = ctx.newFunction("emit", (level, text) => {
      if (ctx.typeof(level) === "string" && ctx.typeof(text) === "string") {
        this.capture.append(ctx.getString(level), ctx.getString(text));
      }
    });
    const install = ctx.unwrapResult(ctx.evalCode(preludeSource, "prelude.js", { type: "global", strict: true }));
    const args = [emit, ctx.newNumber(this.limits.consoleChars), ctx.newNumber(this.limits.outputChars)];
    const tools = ctx.unwrapResult(ctx.callFunction(install, ctx.undefined, ...args));
    for (const handle of [install, ...args]) {
      handle.dispose();
    }
    const call = ctx.getProp(tools, "call");
    const describe = ctx.getProp(tools, "describe");
    tools.dispose();
    return { call, describe };
  }

  private loadModule(source: string): EvalFailure | undefined {
    const { ctx } = this;
    const result = ctx.evalCode(toModuleSource(source), "eval.js", { type: "module" });
    if (result.error) {
      return this.readThrown(result.error, "load");
    }
    const namespace = this.settle(result.value);
    if ("kind" in namespace) {
      return namespace;
    }
    for (const name of evaluateExportOrder) {
      const candidate = ctx.getProp(namespace.handle, name);
      if (ctx.typeof(candidate) === "function") {
        this.evaluate = candidate;
        break;
      }
      candidate.dispose();
    }
    namespace.handle.dispose();
    if (!this.evaluate) {
      return {
        kind: "syntax",
        message:
          "the eval defines no evaluate(trace): write `function evaluate(trace) { … }`, `export function evaluate` or `export default function`",
      };
    }
    return undefined;
  }

  /** A module with top-level await evaluates to a promise; run its jobs once and take the outcome. */
  private settle(value: QuickJSHandle): { handle: QuickJSHandle } | EvalFailure {
    const { ctx } = this;
    let state = ctx.getPromiseState(value);
    if (state.type === "fulfilled" && state.notAPromise) {
      return { handle: value };
    }
    if (state.type === "pending") {
      this.rt.executePendingJobs().dispose();
      state = ctx.getPromiseState(value);
    }
    if (state.type === "fulfilled") {
      // The promise resolves to the module namespace.
      value.dispose();
      return { handle: state.value };
    }
    value.dispose();
    if (state.type === "rejected") {
      return this.readThrown(state.error, "load");
    }
    if (this.meter.interrupted) {
      return this.meter.timeoutError();
    }
    return { kind: "runtime", message: "the eval's top-level await never settled (evals have no timers or I/O)" };
  }

  private invoke(inputJson: string): Step {
    const { ctx } = this;
    if (!this.evaluate) {
      return { ok: false, error: { kind: "syntax", message: "the eval was not loaded" } };
    }
    const inputHandle = ctx.newString(inputJson);
    const result = ctx.callFunction(this.call, ctx.undefined, this.evaluate, inputHandle);
    inputHandle.dispose();
    if (result.error) {
      return { ok: false, error: this.readThrown(result.error, "call") };
    }
    const text = ctx.typeof(result.value) === "string" ? ctx.getString(result.value) : undefined;
    result.value.dispose();
    return this.toStep(parseCallRecord(text));
  }

  private toStep(record: ReturnType<typeof parseCallRecord>): Step {
    if (this.meter.interrupted) {
      this.healthy = false;
      return { ok: false, error: this.meter.timeoutError() };
    }
    switch (record?.t) {
      case "ok":
        return { ok: true, ...toVerdict(record, this.limits) };
      case "invalid":
        return { ok: false, error: { kind: "invalid_result", message: record.message } };
      case "too_large":
        return { ok: false, error: outputTooLarge(record.length, this.limits) };
      case "throw":
        return { ok: false, error: this.noteFailure(classifyThrow(record, "call", this.limits)) };
      default:
        this.healthy = false;
        return { ok: false, error: { kind: "runtime", message: "the eval produced an unreadable result" } };
    }
  }

  /** Reads an error that escaped the prelude's own try/catch (interrupts, failures inside it). */
  private readThrown(errorHandle: QuickJSHandle, phase: "load" | "call"): EvalFailure {
    const { ctx } = this;
    if (this.meter.interrupted) {
      errorHandle.dispose();
      this.healthy = false;
      return this.meter.timeoutError();
    }
    this.meter.extend(describeTicks);
    const described = ctx.callFunction(this.describe, ctx.undefined, errorHandle);
    errorHandle.dispose();
    const text =
      !described.error && ctx.typeof(described.value) === "string" ? ctx.getString(described.value) : undefined;
    described.dispose();
    const record = parseCallRecord(text);
    if (record?.t !== "throw") {
      this.healthy = false;
      return { kind: "runtime", message: "the eval failed with an error that could not be read" };
    }
    return this.noteFailure(classifyThrow(record, phase, this.limits));
  }

  private noteFailure(error: EvalFailure): EvalFailure {
    if (error.kind === "stack" || error.kind === "memory") {
      this.healthy = false;
    }
    return error;
  }
}
