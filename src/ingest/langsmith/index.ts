// LangSmith pull import: runs (v1 and v2 query shapes, nested child runs) grouped into span trees.
export { tracesFromLangSmithRuns } from "./runs";
