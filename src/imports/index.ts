// Pull import of traces from Langfuse, LangSmith and OpenAI as `import` jobs.
export { importHandler } from "./handler";
export { MAX_FILTER_VALUES, MAX_IMPORT_LIMIT, MAX_PAGE_SIZE } from "./payload";
export { type StartImportInput, startTraceImport } from "./start";
