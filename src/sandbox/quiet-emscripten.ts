import type { CustomizeVariantOptions } from "quickjs-emscripten-core";

type EmscriptenOptions = NonNullable<CustomizeVariantOptions["emscriptenModule"]>;

// Emscripten prints "Aborted(...)" to stderr when an eval breaks the module; the sandbox already
// reports that as a `crashed`/`stack` outcome and replaces the module, so the print is noise.
// `printErr` is a standard Emscripten Module option the package's typings leave out.
const options: EmscriptenOptions & { printErr: (text: string) => void } = { printErr: () => {} };

export const quietEmscripten: EmscriptenOptions = options;
