export { DiagnosticPayload, diagnosticHandler } from "./diagnostic";
export * from "./types";
