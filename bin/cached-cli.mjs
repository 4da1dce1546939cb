// Loads the CommonJS bundle of the CLI (dist/cached/main.cjs, built by scripts/build.mjs) with V8's code cache
// (dist/cached/main.cjs.cache): V8 then skips parsing and compiling the functions a command runs, about a third of
// the CPU time of a `hearth ask` (docs/benchmarks.md, "issue 10, fifth stop"). Node 20 has no code cache for ES
// modules (module.enableCompileCache came in Node 22), so this one bundle is CommonJS, run through vm.Script as
// Node runs any CommonJS file, with the cache handed to V8.
//
// The build writes the cache after running search, ask, draft and list on a small library. Where V8 rejects it (a
// different Node version or V8 flags), a run writes one of its own at exit from what it compiled, beside it
// (atomically; a read-only install keeps running without).
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

/**
 * The start of the function the bundle runs in, as the build writes it around the bundle: the wrapper Node gives a
 * CommonJS file, strict as the ES modules it was bundled from are, with hearthImport, the bundle's import()
 * (scripts/build.mjs renames it), served here by Node's loader.
 */
export const cachedBundleWrapper = '(function (exports, require, module, __filename, __dirname, hearthImport) { "use strict"; ';

/** The cached bundle's path, or null where the build made none. */
export function cachedBundle(root) {
  const file = fileURLToPath(new URL("dist/cached/main.cjs", root));
  return existsSync(file) && existsSync(`${file}.cache`) ? file : null;
}

/**
 * Runs the CommonJS bundle at `file` and returns its exports and `save` (writes the cache from what V8 has compiled
 * so far). `writeCache`: "if-rejected" (a run: saves at exit only where V8 refused the stored caches) or "never"
 * (the build's warm-up, which saves once it has run the commands).
 */
export function loadCachedBundle(file, writeCache = "if-rejected") {
  // Latin-1, not UTF-8: the build writes the bundle in ASCII (where the two agree) inside its wrapper, and Node then
  // hands V8 a string kept outside its heap instead of decoding 1.5 MB into it (scripts/build.mjs, cachedBundle). A
  // bundle without the wrapper comes from an older build, which wrote other characters too: read as UTF-8, wrapped.
  const source = readFileSync(file, "latin1");
  const wrapper = source.startsWith(cachedBundleWrapper) ? source : `${cachedBundleWrapper}${readFileSync(file, "utf8")}\n})`;
  const compile = (cacheFile) => {
    let cachedData;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(wrapper, { filename: file, cachedData });
    return { script, accepted: cachedData !== undefined && !script.cachedDataRejected };
  };
  // The build's cache; where V8 refuses it (another Node version, other V8 flags), the one a run made for that case,
  // kept apart so that the build's stays for ordinary runs.
  const builtCache = `${file}.cache`;
  const runCache = `${file}.local-cache`;
  let { script, accepted } = compile(builtCache);
  let cacheFile = builtCache;
  if (!accepted && writeCache === "if-rejected") {
    ({ script, accepted } = compile(runCache));
    cacheFile = runCache;
  }
  const module = { exports: {} };
  const hearthImport = (specifier) => import(specifier);
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file), hearthImport);
  const save = () => {
    try {
      const temporary = `${cacheFile}.${process.pid}`;
      writeFileSync(temporary, script.createCachedData());
      renameSync(temporary, cacheFile);
    } catch {
      // A read-only install: the next run compiles again.
    }
  };
  if (writeCache === "if-rejected" && !accepted) process.once("exit", save);
  return { exports: module.exports, save };
}
