// `{{ name }}` placeholders; names are identifiers, optionally dotted (`user.name`).
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]{0,99})\s*\}\}/g;

/** A template split into literal text and variables: `literals[i]` comes before `variables[i]`. */
export interface CompiledTemplate {
  /** One more than `variables`: the text before, between and after the placeholders. */
  literals: string[];
  variables: string[];
  /** Only for templates that repeat a variable: a regex whose backreferences force equal values. */
  repeatRegex: RegExp | null;
}

export interface TemplateMatch {
  variables: Record<string, string>;
}

/** The distinct variable names of `template`, in order of first appearance. */
export function extractVariables(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1] ?? ""))];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** Lazy groups across newlines; a repeated variable is a backreference to its first group. */
function buildRepeatRegex(literals: string[], variables: string[]): RegExp {
  const groupOf = new Map<string, number>();
  let source = `^\\s*${escapeRegex(literals[0] ?? "")}`;
  variables.forEach((name, i) => {
    const group = groupOf.get(name);
    if (group === undefined) {
      groupOf.set(name, groupOf.size + 1);
      source += "([\\s\\S]*?)";
    } else {
      // Grouped, so a literal starting with a digit cannot extend the backreference's number.
      source += `(?:\\${group})`;
    }
    source += escapeRegex(literals[i + 1] ?? "");
  });
  return new RegExp(`${source}\\s*$`);
}

/**
 * Compiles a prompt template once, for matching many texts. Whitespace at the ends of the template
 * is ignored, as it is at the ends of matched texts.
 */
export function compileTemplate(template: string): CompiledTemplate {
  const trimmed = template.trim();
  const literals: string[] = [];
  const variables: string[] = [];
  let last = 0;
  for (const m of trimmed.matchAll(PLACEHOLDER)) {
    literals.push(trimmed.slice(last, m.index));
    variables.push(m[1] ?? "");
    last = m.index + m[0].length;
  }
  literals.push(trimmed.slice(last));
  const repeats = new Set(variables).size !== variables.length;
  return { literals, variables, repeatRegex: repeats ? buildRepeatRegex(literals, variables) : null };
}

/**
 * What `^\s*L0(.*?)L1(.*?)…Lk\s*$` (lazy, across newlines) captures, without a regex: each literal
 * at its leftmost place. Linear in the text, so a long prompt against many templates cannot
 * backtrack catastrophically. Returns the values in placeholder order, or null.
 */
function scanLiterals(literals: string[], text: string): string[] | null {
  const first = literals[0] ?? "";
  // A leading literal starts with non-whitespace, so it sits right after the text's leading
  // whitespace; a leading variable starts at 0 (the next literal may begin with that whitespace).
  const body = first ? text.trimStart() : text;
  const lastLiteral = literals[literals.length - 1] ?? "";
  if (literals.length === 1) {
    return body.trim() === first ? [] : null;
  }
  // A trailing literal ends in non-whitespace (the template is trimmed), so it sits right before
  // the text's trailing whitespace; a trailing variable may reach into it and is trimmed instead.
  const end = lastLiteral ? body.trimEnd().length - lastLiteral.length : body.length;
  if (!body.startsWith(first) || end < first.length || !body.startsWith(lastLiteral, end)) {
    return null;
  }
  const values: string[] = [];
  let position = first.length;
  for (let i = 1; i < literals.length - 1; i++) {
    const literal = literals[i] ?? "";
    const at = body.indexOf(literal, position);
    if (at < 0 || at + literal.length > end) {
      return null;
    }
    values.push(body.slice(position, at));
    position = at + literal.length;
  }
  const lastValue = body.slice(position, end);
  values.push(lastLiteral ? lastValue : lastValue.trimEnd());
  if (!first) {
    values[0] = values[0]?.trimStart() ?? "";
  }
  return values;
}

function toMatch(names: string[], values: string[]): TemplateMatch {
  const variables: Record<string, string> = {};
  names.forEach((name, i) => {
    variables[name] ??= values[i] ?? "";
  });
  return { variables };
}

/** Matches `text` against a compiled template: the variables' values, or null when it does not fit. */
export function matchCompiled(compiled: CompiledTemplate, text: string): TemplateMatch | null {
  const values = scanLiterals(compiled.literals, text);
  if (!values) {
    return null;
  }
  if (!compiled.repeatRegex) {
    return toMatch(compiled.variables, values);
  }
  // A repeated variable must have one value everywhere; the scan above was a cheap necessary check.
  const m = compiled.repeatRegex.exec(text);
  return m ? toMatch([...new Set(compiled.variables)], m.slice(1)) : null;
}

/** Does `text` (e.g. a trace's system prompt) come from `template` with its variables filled? */
export function matchTemplate(template: string, text: string): TemplateMatch | null {
  return matchCompiled(compileTemplate(template), text);
}

/** Fills a template's placeholders; unknown variables are left as they are. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(
    PLACEHOLDER,
    (whole, name: string) => (Object.hasOwn(values, name) ? values[name] : undefined) ?? whole,
  );
}
