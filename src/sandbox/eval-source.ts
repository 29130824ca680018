/** Export name the host reads; unlikely to collide with anything an eval declares. */
export const localEvaluateExport = "__iofold_local_evaluate__";

/**
 * Every eval is compiled as an ES module (strict mode). Appending one export line makes a plain
 * top-level `function evaluate` (or `const evaluate = ...`) reachable without rewriting the source,
 * so `export function evaluate` and `export default function` keep working untouched and error
 * line numbers stay those of the author's text. The host then picks, in order: the named export
 * `evaluate`, the top-level binding `evaluate`, the default export.
 */
export function toModuleSource(source: string): string {
  return `${source}\n;export const ${localEvaluateExport} = typeof evaluate === "function" ? evaluate : undefined;\n`;
}

export const evaluateExportOrder = ["evaluate", localEvaluateExport, "default"] as const;
