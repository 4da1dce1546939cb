/**
 * The handle on MuPDF's WebAssembly module, for reading structured text without JSON (pdf-stext-reader.ts).
 *
 * mupdf.js keeps its Emscripten module private, but builds it from `globalThis.$libmupdf_wasm_Module` when it is first
 * evaluated (`await libmupdf_wasm(globalThis["$libmupdf_wasm_Module"])`), and Emscripten's factory fills in the object
 * it is given: the exported C functions (`_wasm_stext_...`) and the heap views. So this module must be evaluated
 * before mupdf.js, once per thread (each worker thread has its own globalThis and its own MuPDF): every module that
 * imports "mupdf" imports this one just before it (ES modules evaluate their imports in order; a test checks the
 * rule), and the CLI's entry imports it first (the bundles load MuPDF ahead of the loaders' own code). Where MuPDF
 * was loaded first anyway, Emscripten never sees the object and `mupdfModule()` says why; page text then goes through
 * `asJSON()` as before.
 *
 * The same object carries `instantiateWasm`, which Emscripten calls instead of its own loader: MuPDF's WebAssembly
 * (10 MB) is read once and compiled as it is, where mupdf.js's loader copied it into a second array first.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The global mupdf.js reads (see above). */
const moduleKey = "$libmupdf_wasm_Module";

/** The exports of MuPDF's WebAssembly module the structured-text reader calls; pointers are numbers. */
export interface MupdfModule {
  HEAPU8: Uint8Array;
  HEAPF32: Float32Array;
  _wasm_stext_page_get_first_block(page: number): number;
  _wasm_stext_block_get_next(block: number): number;
  _wasm_stext_block_get_type(block: number): number;
  _wasm_stext_block_get_bbox(block: number): number;
  _wasm_stext_block_get_first_line(block: number): number;
  _wasm_stext_line_get_next(line: number): number;
  _wasm_stext_line_get_bbox(line: number): number;
  _wasm_stext_line_get_first_char(line: number): number;
  _wasm_stext_char_get_next(char: number): number;
  _wasm_stext_char_get_c(char: number): number;
  _wasm_stext_char_get_origin(char: number): number;
  _wasm_stext_char_get_size(char: number): number;
  _wasm_stext_char_get_font(char: number): number;
  _wasm_font_get_name(font: number): number;
  _wasm_font_is_bold(font: number): number;
}

const functionNames = [
  "_wasm_stext_page_get_first_block",
  "_wasm_stext_block_get_next",
  "_wasm_stext_block_get_type",
  "_wasm_stext_block_get_bbox",
  "_wasm_stext_block_get_first_line",
  "_wasm_stext_line_get_next",
  "_wasm_stext_line_get_bbox",
  "_wasm_stext_line_get_first_char",
  "_wasm_stext_char_get_next",
  "_wasm_stext_char_get_c",
  "_wasm_stext_char_get_origin",
  "_wasm_stext_char_get_size",
  "_wasm_stext_char_get_font",
  "_wasm_font_get_name",
  "_wasm_font_is_bold",
] as const satisfies ReadonlyArray<keyof MupdfModule>;

/**
 * MuPDF's WebAssembly where Node finds "mupdf" for this project's modules: the node_modules at the repository's root,
 * two folders up from src/loaders/ and dist/loaders/ (the bundles rewrite import.meta.url to the latter), the first
 * node_modules on their way up. A file check (~0.01 ms), not a module resolution (4-12 ms measured), since every
 * command loads this module; where the file is not there (an install that hoists mupdf), null, and mupdf.js loads
 * its WebAssembly itself.
 */
function wasmFile(): string | null {
  const file = fileURLToPath(new URL("../../node_modules/mupdf/dist/mupdf-wasm.wasm", import.meta.url));
  return existsSync(file) ? file : null;
}

/**
 * Emscripten's `Module.instantiateWasm`: reads MuPDF's WebAssembly and compiles and instantiates it as read. mupdf.js's
 * loader reads the file into one array and copies it into another before compiling; a fresh 10 MB costs ~30 ms of page
 * faults on the VMs measured, and the import of MuPDF took ~70-80 ms less CPU per thread without the copy
 * (docs/benchmarks.md, "issue 10, eighth stop"). Synchronous, so that a file that cannot be read or compiled throws
 * out of Emscripten's promise and fails the import of "mupdf", as its own loader's failure does (its promise would
 * never settle on a failure reported later).
 */
function instantiateFrom(file: string) {
  return (imports: object, receive: (instance: object, module: object) => void): Record<string, never> => {
    const module = new webAssembly.Module(readFileSync(file));
    receive(new webAssembly.Instance(module, imports), module);
    return {};
  };
}

/** The part of the WebAssembly global used here (this project's TypeScript libraries do not declare it). */
const webAssembly = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => object } }).WebAssembly;

const globals = globalThis as Record<string, unknown>;
// Set only when absent: a second copy of this module (the sources and dist/ in one test process) shares the object.
if (globals[moduleKey] === undefined) {
  const file = wasmFile();
  globals[moduleKey] = file === null ? {} : { instantiateWasm: instantiateFrom(file) };
}
const handed = globals[moduleKey];

/**
 * MuPDF's module once mupdf.js has loaded (call it only after "mupdf" was imported), or why it cannot be used: MuPDF
 * was evaluated before this module set the global (a module imported "mupdf" without importing this one first), or
 * an upgraded mupdf.js no longer reads the global or exports what the reader calls.
 */
export function mupdfModule(): { module: MupdfModule } | { reason: string } {
  if (typeof handed !== "object" || handed === null) return { reason: `globalThis.${moduleKey} is not an object` };
  const candidate = handed as Record<string, unknown>;
  // Emscripten sets the heap views and exports on the object; none of them there: it never saw this object.
  if (candidate.HEAPU8 === undefined && functionNames.every((name) => candidate[name] === undefined)) {
    return { reason: `MuPDF was loaded before src/loaders/mupdf-module.ts set globalThis.${moduleKey} (import it before "mupdf")` };
  }
  const missing: string[] = functionNames.filter((name) => typeof candidate[name] !== "function");
  if (!(candidate.HEAPU8 instanceof Uint8Array)) missing.push("HEAPU8");
  if (!(candidate.HEAPF32 instanceof Float32Array)) missing.push("HEAPF32");
  if (missing.length > 0) return { reason: `MuPDF's module lacks ${missing.join(", ")} (mupdf.js changed?)` };
  return { module: candidate as unknown as MupdfModule };
}
