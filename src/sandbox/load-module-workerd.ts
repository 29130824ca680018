import releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";
// workerd cannot fetch or compile WASM at run time: wrangler bundles this import as a precompiled
// WebAssembly.Module. The package's "./wasm" export fails the build (no loader for .wasm), so the
// file is imported by path (toolchain.md §7).
import wasmModule from "../../node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";
import { quietEmscripten } from "./quiet-emscripten";

/** workerd (Cloudflare Workers and the vitest workers pool). Import this file from worker code only. */
export function loadQuickJsModuleForWorkerd(): Promise<QuickJSWASMModule> {
  return newQuickJSWASMModuleFromVariant(newVariant(releaseVariant, { wasmModule, emscriptenModule: quietEmscripten }));
}
