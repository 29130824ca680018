import releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant, newVariant, type QuickJSWASMModule } from "quickjs-emscripten-core";
import { quietEmscripten } from "./quiet-emscripten";

/** Node: the variant reads its .wasm from node_modules itself. */
export function loadQuickJsModuleForNode(): Promise<QuickJSWASMModule> {
  return newQuickJSWASMModuleFromVariant(newVariant(releaseVariant, { emscriptenModule: quietEmscripten }));
}
