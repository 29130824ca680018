import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileTemplate,
  extractVariables,
  fillTemplate,
  matchCompiled,
  matchTemplate,
} from "../../src/agents/template-match";

describe("extractVariables", () => {
  it("lists distinct names in order of first appearance, spaces inside braces allowed", () => {
    expect(extractVariables("Hi {{ name }}, from {{company}} to {{name}} ({{user.id}})")).toEqual([
      "name",
      "company",
      "user.id",
    ]);
  });

  it("ignores braces that are not placeholders", () => {
    expect(extractVariables("json: {{ 1 }} {x} {{}} {{-a}}")).toEqual([]);
  });
});

describe("matchTemplate", () => {
  it("recovers a variable whose value spans lines", () => {
    const m = matchTemplate("You help {{company}} customers.\nBe brief.", "You help Acme\nCorp customers.\nBe brief.");
    expect(m).toEqual({ variables: { company: "Acme\nCorp" } });
  });

  it("matches a template without variables only on equal text", () => {
    expect(matchTemplate("Be nice.", "Be nice.")).toEqual({ variables: {} });
    expect(matchTemplate("Be nice.", "Be nicer.")).toBeNull();
  });

  it("refuses text whose literal parts differ", () => {
    expect(matchTemplate("Hello {{name}}, welcome", "Goodbye Ann, welcome")).toBeNull();
    expect(matchTemplate("Hello {{name}}, welcome", "Hello Ann, farewell")).toBeNull();
    expect(matchTemplate("A {{x}} B {{y}} C", "A 1 C 2 B")).toBeNull();
  });

  it("treats regex metacharacters in the template as plain text", () => {
    const template = "Cost: $5.00 (approx) [beta]* ^{{item}}$ a|b \\d+ /x/ {{qty}}?";
    expect(matchTemplate(template, "Cost: $5.00 (approx) [beta]* ^tea$ a|b \\d+ /x/ 3?")).toEqual({
      variables: { item: "tea", qty: "3" },
    });
    expect(matchTemplate(template, "Cost: $5X00 (approx) [beta]* ^tea$ a|b \\d+ /x/ 3?")).toBeNull();
  });

  it("gives adjacent variables the lazy split: the first takes as little as it can", () => {
    expect(matchTemplate("Say {{a}}{{b}}!", "Say hello!")).toEqual({ variables: { a: "", b: "hello" } });
  });

  it("requires a repeated variable to have the same value everywhere", () => {
    const template = "Hi {{name}}. Bye {{name}}.";
    expect(matchTemplate(template, "Hi Ann. Bye Ann.")).toEqual({ variables: { name: "Ann" } });
    expect(matchTemplate(template, "Hi Ann. Bye Bob.")).toBeNull();
    expect(matchTemplate("{{a}}-{{a}}", "x-y-x-y")).toEqual({ variables: { a: "x-y" } });
  });

  it("keeps a backreference apart from a digit that follows it", () => {
    expect(matchTemplate("{{a}}:{{a}}1", "7:71")).toEqual({ variables: { a: "7" } });
    expect(matchTemplate("{{a}}:{{a}}1", "7:7")).toBeNull();
  });

  it("ignores whitespace differences at the ends of template and text", () => {
    expect(matchTemplate("  Hello {{name}}\n", "\n\nHello Bob  \t")).toEqual({ variables: { name: "Bob" } });
    expect(matchTemplate("Hello {{name}}", "Hello ")).toEqual({ variables: { name: "" } });
    expect(matchTemplate("{{greeting}} world", "  hi world\n")).toEqual({ variables: { greeting: "hi" } });
  });

  it("is linear on long texts with many short-literal variables (no catastrophic backtracking)", () => {
    const template = Array.from({ length: 30 }, (_, i) => `{{v${i}}}`).join(" ");
    const text = `${"a ".repeat(50_000)}!`;
    expect(matchTemplate(`${template}.`, text)).toBeNull();
    expect(matchTemplate(template, text)?.variables.v29?.length).toBeGreaterThan(90_000);
  });

  it("compiles once and matches many texts", () => {
    const compiled = compileTemplate("Agent for {{team}}");
    expect(compiled.variables).toEqual(["team"]);
    expect(matchCompiled(compiled, "Agent for ops")?.variables).toEqual({ team: "ops" });
    expect(matchCompiled(compiled, "Agent for sales")?.variables).toEqual({ team: "sales" });
  });
});

// Literals and values from disjoint alphabets: the split is then unambiguous, so matching must
// give back exactly the values the template was filled with.
const literalChars = fc.constantFrom(..."ab .,:\n$()[]*+?^|\\/{}-".split(""));
const valueChars = fc.constantFrom(..."xyzXYZ0189_@#".split(""));
const literal = fc.string({ unit: literalChars, minLength: 1, maxLength: 12 });
const value = fc.string({ unit: valueChars, maxLength: 12 });
const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);

/** A template with `{{name}}` placeholders separated by non-empty literals; names may repeat. */
const template = fc
  .record({
    head: fc.option(literal, { nil: undefined }),
    parts: fc.array(fc.record({ name, literal }), { minLength: 1, maxLength: 6 }),
    lastIsVariable: fc.boolean(),
  })
  .map(({ head, parts, lastIsVariable }) => {
    let text = head ?? "";
    parts.forEach((part, i) => {
      text += `{{${part.name}}}`;
      if (i < parts.length - 1 || !lastIsVariable) {
        text += part.literal;
      }
    });
    return text;
  });

describe("matchTemplate properties", () => {
  it("recovers the values a template was filled with", () => {
    fc.assert(
      fc.property(template, fc.array(value, { minLength: 30, maxLength: 30 }), (tpl, pool) => {
        const names = extractVariables(tpl);
        const values = Object.fromEntries(names.map((n, i) => [n, pool[i] ?? ""]));
        expect(matchTemplate(tpl, fillTemplate(tpl, values))).toEqual({ variables: values });
      }),
      { numRuns: 500 },
    );
  });

  it("for any template and values: matches the filled text, and the match fills back to that text", () => {
    const anyTemplate = fc
      .array(
        fc.oneof(
          fc.string({ maxLength: 8 }),
          name.map((n) => `{{${n}}}`),
        ),
        { maxLength: 8 },
      )
      .map((parts) => parts.join(""));
    fc.assert(
      fc.property(anyTemplate, fc.array(fc.string({ maxLength: 8 }), { minLength: 8, maxLength: 8 }), (tpl, pool) => {
        const names = extractVariables(tpl);
        const text = ` ${fillTemplate(tpl, Object.fromEntries(names.map((n, i) => [n, pool[i] ?? ""])))}\n`;
        const m = matchTemplate(tpl, text);
        expect(m).not.toBeNull();
        expect(fillTemplate(tpl.trim(), m?.variables ?? {}).trim()).toBe(text.trim());
      }),
      { numRuns: 1000 },
    );
  });
});
