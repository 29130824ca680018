import { describe, expect, it } from "vitest";
import { classifyThrow, parseCallRecord, type ThrowRecord, toVerdict } from "../../src/sandbox/call-result";
import { defaultLimits } from "../../src/sandbox/types";

const thrown = (over: Partial<ThrowRecord>): ThrowRecord => ({
  t: "throw",
  isError: true,
  name: "Error",
  message: "",
  stack: "",
  ...over,
});

describe("parseCallRecord", () => {
  it("reads each record the prelude writes", () => {
    expect(parseCallRecord('{"t":"ok","pass":true,"score":0.25,"reason":"r"}')).toEqual({
      t: "ok",
      pass: true,
      score: 0.25,
      reason: "r",
    });
    expect(parseCallRecord('{"t":"invalid","message":"m"}')).toEqual({ t: "invalid", message: "m" });
    expect(parseCallRecord('{"t":"too_large","length":9}')).toEqual({ t: "too_large", length: 9 });
  });

  it.each([
    ["no text", undefined],
    ["not JSON", "{"],
    ["a non-object", "true"],
    ["an unknown tag", '{"t":"win"}'],
    ["a string pass", '{"t":"ok","pass":"yes","score":null,"reason":""}'],
    ["a score above 1", '{"t":"ok","pass":true,"score":2,"reason":""}'],
    ["a throw without a stack", '{"t":"throw","isError":true,"name":"E","message":"m"}'],
  ])("rejects %s", (_name, text) => {
    expect(parseCallRecord(text)).toBeUndefined();
  });
});

describe("classifyThrow", () => {
  it("recognises QuickJS's resource errors only as InternalError", () => {
    expect(
      classifyThrow(thrown({ name: "InternalError", message: "stack overflow" }), "call", defaultLimits).kind,
    ).toBe("stack");
    expect(classifyThrow(thrown({ name: "InternalError", message: "out of memory" }), "call", defaultLimits).kind).toBe(
      "memory",
    );
    expect(
      classifyThrow(thrown({ name: "InternalError", message: "string too long" }), "call", defaultLimits).kind,
    ).toBe("memory");
    expect(classifyThrow(thrown({ name: "Error", message: "out of memory" }), "call", defaultLimits).kind).toBe(
      "runtime",
    );
  });

  it("calls a SyntaxError a syntax failure only while loading", () => {
    expect(classifyThrow(thrown({ name: "SyntaxError", message: "bad" }), "load", defaultLimits).kind).toBe("syntax");
    expect(classifyThrow(thrown({ name: "SyntaxError", message: "bad JSON" }), "call", defaultLimits).kind).toBe(
      "runtime",
    );
  });

  it("keeps the eval's stack frames and drops the prelude's", () => {
    const stack = "    at evaluate (eval.js:3:9)\n    at call (prelude.js:87:30)\n";
    expect(classifyThrow(thrown({ name: "TypeError", message: "x", stack }), "call", defaultLimits).message).toBe(
      "TypeError: x\n    at evaluate (eval.js:3:9)",
    );
  });

  it("names non-Error throws", () => {
    expect(classifyThrow(thrown({ isError: false, message: "42" }), "load", defaultLimits).message).toBe(
      "the eval module threw a non-Error value: 42",
    );
  });
});

describe("toVerdict", () => {
  it("cuts a reason over the cap and marks it", () => {
    expect(toVerdict({ pass: true, score: null, reason: "abcdef" }, { ...defaultLimits, reasonChars: 3 }).reason).toBe(
      "abc…[truncated]",
    );
    expect(toVerdict({ pass: true, score: null, reason: "abc" }, { ...defaultLimits, reasonChars: 3 }).reason).toBe(
      "abc",
    );
  });
});
