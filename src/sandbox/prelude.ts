/**
 * Script run in every fresh context before the eval's own code. It evaluates to
 * `install(emit, lineChars, outputChars)`, which defines the console shim and returns
 * `{ call(evaluate, inputJson), describe(error) }`: the only entries the host uses.
 *
 * The builtins it needs are captured before eval code runs, so an eval that replaces `JSON`,
 * `String.prototype.slice` or `Function.prototype.call` can spoil only its own result, never the
 * host's reading of it. `call` always returns a JSON string of a tagged record (below); the host
 * still checks every field it reads (src/sandbox/call-result.ts).
 *
 * Tags: { t: "ok", pass, score, reason } | { t: "invalid", message } | { t: "too_large", length }
 *     | { t: "throw", isError, name, message, stack }.
 * Uncatchable errors (interrupt) and failures while building the record escape `call` instead.
 */
export const preludeSource = `(function install(emit, lineChars, outputChars) {
  "use strict";
  const stringify = JSON.stringify;
  const parse = JSON.parse;
  const isArray = Array.isArray;
  const apply = Reflect.apply;
  const slice = String.prototype.slice;
  const toText = String;
  const isFiniteNumber = Number.isFinite;
  const PromiseCtor = Promise;
  const ErrorCtor = Error;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;

  const cut = (s, n) => (s.length > n ? apply(slice, s, [0, n]) : s);
  const show = (v) => {
    if (typeof v === "string") return v;
    try {
      const s = stringify(v);
      if (typeof s === "string") return s;
    } catch {}
    try {
      return toText(v);
    } catch {
      return "[unprintable]";
    }
  };
  const line = (args) => {
    let out = "";
    for (let i = 0; i < args.length && out.length <= lineChars; i++) {
      out += (i === 0 ? "" : " ") + show(args[i]);
    }
    return cut(out, lineChars + 1);
  };
  const method = (level) =>
    function () {
      emit(level, line(arguments));
    };
  const consoleShim = freeze({
    log: method("log"),
    info: method("info"),
    debug: method("debug"),
    warn: method("warn"),
    error: method("error"),
  });
  defineProperty(globalThis, "console", { value: consoleShim, writable: true, configurable: true });

  const kindOf = (v) => (v === null ? "null" : isArray(v) ? "an array" : typeof v);
  const invalid = (message) => stringify({ t: "invalid", message });
  const describe = (e) => {
    try {
      if (e instanceof ErrorCtor) {
        const stack = typeof e.stack === "string" ? e.stack : "";
        return { t: "throw", isError: true, name: cut(toText(e.name), 200), message: cut(toText(e.message), 2000), stack: cut(stack, 2000) };
      }
      return { t: "throw", isError: false, name: "", message: cut(show(e), 2000), stack: "" };
    } catch {
      return { t: "throw", isError: false, name: "", message: "[unprintable]", stack: "" };
    }
  };
  const shape = (r) => {
    if (typeof r === "boolean") return stringify({ t: "ok", pass: r, score: null, reason: "" });
    if (r instanceof PromiseCtor) return invalid("evaluate returned a Promise; evals run synchronously");
    if (r === null || typeof r !== "object" || isArray(r)) {
      return invalid("evaluate returned " + kindOf(r) + "; expected { pass, score?, reason? } or a boolean");
    }
    const pass = r.pass;
    const score = r.score;
    const reason = r.reason;
    if (typeof pass !== "boolean") return invalid("result.pass must be a boolean, got " + kindOf(pass));
    if (score !== undefined && score !== null) {
      if (typeof score !== "number" || !isFiniteNumber(score) || score < 0 || score > 1) {
        const shown = typeof score === "number" ? toText(score) : cut(show(score), 100);
        return invalid("result.score must be a finite number in [0, 1], got " + shown);
      }
    }
    if (reason !== undefined && reason !== null && typeof reason !== "string") {
      return invalid("result.reason must be a string, got " + kindOf(reason));
    }
    if (typeof reason === "string" && reason.length > outputChars) {
      return stringify({ t: "too_large", length: reason.length });
    }
    return stringify({ t: "ok", pass, score: score ?? null, reason: reason ?? "" });
  };
  return freeze({
    call(evaluate, inputJson) {
      try {
        return shape(evaluate(parse(inputJson)));
      } catch (e) {
        return stringify(describe(e));
      }
    },
    describe(e) {
      return stringify(describe(e));
    },
  });
})`;
