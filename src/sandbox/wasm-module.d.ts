// wrangler (and the vitest workers pool) bundle a `.wasm` import as a compiled WebAssembly.Module.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  // biome-ignore lint/style/noDefaultExport: a .wasm import has exactly one, default, export
  export default module;
}
