#!/usr/bin/env node
// Compiles src/ to dist/ for a fast `bin/hearth` (no TypeScript loader at start-up). Runs as `npm run build` and
// from `prepare`, so `npm install` and `npm ci` leave a runnable dist/.
//   1. tsc emits JavaScript only (--noCheck: `npm run typecheck` is the type check; emitting stays ~5 s);
//   2. every runtime file under src/ that is not TypeScript (JSON data, templates) is copied to the same relative
//      place, so code that reads `new URL("./x.json", import.meta.url)` finds it from dist/ too;
//   3. the built-in task templates are validated and stored as one file (dist/toolkit/built-in-templates.json) that
//      the compiled template library reads instead of validating each template on every `hearth ask`;
//   4. esbuild bundles the CLI (dist/cli/main.js) into dist/bundle/: one ES module for what every command needs, and
//      split chunks for what only some load through import() (each command's work, the PDF engine, the server).
//      Loading ~200 small modules cost a whole process ~100 ms of resolving and compiling; see "issue 10, fifth
//      stop" in docs/benchmarks.md. Native and heavy packages stay outside the bundle (loaded by Node as before);
//      the small pure-JavaScript ones every command imports (zod, commander, stemmer, eventsource-parser) go in.
//      Each bundled module's `import.meta.url` is rewritten to the URL of its own compiled file in dist/, so
//      `new URL("./x.json", import.meta.url)` finds the data files copied in step 2, and worker files (the PDF page
//      worker, the server's worker threads) run from the unbundled dist/ beside them;
//   5. the same CLI as one CommonJS file (dist/cached/main.cjs) and V8's code cache for it, made by running search,
//      ask, draft and list on a small library (scripts/warm-code-cache.mjs): bin/hearth runs the commands a user
//      waits on from it, skipping most of V8's parsing and compiling (bin/cached-cli.mjs);
//   6. dist/build-stamp.json is written last: bin/hearth runs dist/ only when it exists and no file under src/ is
//      newer than it (the bundle when it was built, else dist/cli/main.js).
// Without TypeScript installed (`npm ci --omit=dev`) it says so and leaves no dist/: bin/hearth then runs the
// sources through tsx.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { cachedBundleWrapper } from "../bin/cached-cli.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const source = join(root, "src");
const output = join(root, "dist");

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
} catch {
  console.warn("build: TypeScript is not installed (production install?): bin/hearth will run the sources through tsx");
  process.exit(0);
}

// A clean dist/ each time, so a source file deleted since the last build leaves no stale module behind.
rmSync(output, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json"), "--noCheck"], { stdio: "inherit" });
if (compiled.status !== 0) {
  rmSync(output, { recursive: true, force: true });
  console.error("build: tsc failed; dist/ removed (bin/hearth falls back to the sources)");
  process.exit(compiled.status ?? 1);
}

function copyRuntimeFiles(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) copyRuntimeFiles(path);
    else if (entry.isFile() && !entry.name.endsWith(".ts")) {
      const target = join(output, relative(source, path));
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(path, target);
    }
  }
}
copyRuntimeFiles(source);

if (!existsSync(join(output, "cli", "main.js"))) {
  console.error("build: dist/cli/main.js was not emitted");
  process.exit(1);
}

// The built-in task templates, validated now and stored as one file beside the compiled template library, which a
// compiled `hearth ask` reads instead of validating every template file (src/toolkit/template-library.ts).
try {
  const { writeValidatedBuiltIns } = await import(pathToFileURL(join(output, "toolkit", "template-library.js")).href);
  writeValidatedBuiltIns();
} catch (error) {
  rmSync(output, { recursive: true, force: true });
  console.error(`build: a built-in template is not valid; dist/ removed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

/** Packages bundled into dist/bundle/: small, pure JavaScript, loaded by nearly every command. */
const bundledPackages = new Set(["zod", "commander", "stemmer", "eventsource-parser"]);
const packageName = (specifier) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");

/**
 * The esbuild plugin for both bundles: packages outside `bundledPackages` stay external (Node loads them), and each
 * compiled module's `import.meta.url` becomes the URL of its own file in dist/ (`outputFolder` is where the bundle's
 * output lives; `format` says how that output knows its own URL).
 */
function hearthBundlePlugin(outputFolder, format, reachingMupdf = new Set()) {
  return {
    name: "hearth-bundle",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("node:") || !bundledPackages.has(packageName(args.path))) return { path: args.path, external: true };
        return undefined;
      });
      build.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(output + sep)) return undefined; // a package's file: as it is
        let text = await readFile(args.path, "utf8");
        // In CommonJS, an import() that reaches MuPDF loads MuPDF first (see awaitingMupdf).
        text = text.replace(/\bimport\((["'])(\.{1,2}\/[^"']+)\1\)/g, (call, _quote, specifier) =>
          reachingMupdf.has(join(dirname(args.path), specifier))
            ? `import("mupdf").then((mupdf) => { globalThis[${mupdfKey}] = mupdf; }).then(() => ${call})`
            : call,
        );
        if (!text.includes("import.meta.url")) return { contents: text, loader: "js" };
        const fromOutput = JSON.stringify(relative(outputFolder, args.path).split(sep).join("/"));
        const outputUrl = format === "esm" ? "import.meta.url" : 'require("node:url").pathToFileURL(__filename).href';
        return { contents: text.replaceAll("import.meta.url", `(new URL(${fromOutput}, ${outputUrl}).href)`), loader: "js" };
      });
    },
  };
}

/** Where the CommonJS bundle keeps MuPDF, loaded as an ES module, for the modules that require it. */
const mupdfKey = 'Symbol.for("hearth.mupdf")';

/** The compiled modules (absolute paths) from which `target` (a package) is reached through static imports. */
function modulesReaching(metafile, target) {
  const reaching = new Set();
  const importsOf = new Map(Object.entries(metafile.inputs).map(([path, input]) => [path, input.imports.filter((edge) => edge.kind === "import-statement")]));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [path, imports] of importsOf) {
      if (reaching.has(path)) continue;
      if (imports.some((edge) => edge.path === target || reaching.has(edge.path))) {
        reaching.add(path);
        grew = true;
      }
    }
  }
  return new Set([...reaching].map((path) => join(root, path)));
}

/**
 * MuPDF awaits its WebAssembly at the top level, so CommonJS cannot require() it. In the CommonJS bundle each
 * import() of a module that reaches MuPDF first loads MuPDF as an ES module (Node's loader), and "mupdf" resolves
 * to a module that hands that loaded MuPDF over; a path that reached it otherwise says so instead of failing
 * obscurely.
 */
function awaitingMupdf() {
  return {
    name: "hearth-awaiting-mupdf",
    setup(build) {
      // import("mupdf") stays Node's; require("mupdf") (a static import, in CommonJS) gets the loaded one.
      build.onResolve({ filter: /^mupdf$/ }, (args) =>
        args.kind === "dynamic-import" ? { path: "mupdf", external: true } : { path: "mupdf", namespace: "hearth-mupdf" },
      );
      build.onLoad({ filter: /.*/, namespace: "hearth-mupdf" }, () => ({
        contents: `const loaded = globalThis[${mupdfKey}];\nif (loaded === undefined) throw new Error("MuPDF was required before it was loaded (scripts/build.mjs, awaitingMupdf)");\nmodule.exports = loaded;\n`,
        loader: "js",
      }));
    },
  };
}

/**
 * `code` with every character outside ASCII written as a \u escape. esbuild's ASCII charset escapes strings and
 * templates but leaves regular expressions and comments, and one character outside Latin-1 makes V8 hold a whole
 * bundle in two bytes a character (read, copied and scanned at every start: ~25 ms and ~1,200 fresh pages of a
 * `hearth --version` for the 1.5 MB cached bundle). In a regular expression (with or without the u flag) and in a
 * comment the escape means what the character meant.
 */
function asciiOnly(code) {
  return code.replace(/[^\t\n\r\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Node's modules that the cached bundle requires only where a command uses them. esbuild turns each module's imports
 * into `require()` calls run as the module is first used, and most commands start with all of these loaded though
 * they use none (commander's child_process, the store's crypto, fs/promises for the commands that read files): together
 * ~12-15 ms of a `hearth --version` (docs/benchmarks.md, "issue 10, tenth stop"). Each is required at its first use
 * instead, through a stand-in that forwards every property read. Every import of these is a named one (read as a
 * property of the module), so the stand-in is never copied or enumerated; a test checks which modules a command loads.
 */
const lazyBuiltins = ["child_process", "crypto", "dns/promises", "fs/promises", "net", "timers/promises", "worker_threads", "zlib"];

/** The stand-in's maker, written at the top of the cached bundle (inside its wrapper, so `require` is the bundle's). */
const lazyBuiltinHelper =
  "var hearthLazyBuiltin = (id) => { let loaded; const real = () => (loaded ??= require(id)); return new Proxy({}, { " +
  "get: (_, key) => real()[key], has: (_, key) => key in real(), set: (_, key, value) => ((real()[key] = value), true) }); };\n";

/** `code` with each `= require("node:<lazy builtin>");` replaced by the stand-in; throws where there is none to replace. */
function requireBuiltinsLazily(code) {
  const pattern = new RegExp(`= require\\("node:(${lazyBuiltins.join("|")})"\\);`, "g");
  let replaced = 0;
  const result = code.replace(pattern, (_match, name) => {
    replaced++;
    return `= hearthLazyBuiltin("node:${name}");`;
  });
  // esbuild wrote its requires in another form: say so rather than ship a bundle that loads everything at start.
  if (replaced === 0) throw new Error("no require() of Node's modules found to load lazily: has esbuild's output changed?");
  return result;
}

/** dist/cached/main.cjs and its V8 code cache (see bin/cached-cli.mjs). */
async function cachedBundle(esbuild, esmMetafile, cachedFolder) {
  await esbuild.build({
    entryPoints: [join(output, "cli", "main.js")],
    outfile: join(cachedFolder, "main.cjs"),
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    charset: "ascii",
    logLevel: "warning",
    plugins: [awaitingMupdf(), hearthBundlePlugin(cachedFolder, "cjs", modulesReaching(esmMetafile, "mupdf"))],
  });
  // import() in a script compiled from V8's code cache finds no loader in Node 20 (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING):
  // the bundle's import() calls (packages only some commands load) go through hearthImport, an ES module's own
  // import() that bin/cached-cli.mjs hands in.
  const cachedFile = join(cachedFolder, "main.cjs");
  const ascii = asciiOnly(requireBuiltinsLazily(readFileSync(cachedFile, "utf8").replace(/(?<![\w$.])import\(/g, "hearthImport(")));
  // Written inside the function wrapper bin/cached-cli.mjs compiles, so that the file read is the very string V8
  // compiles: a wrapper added at run time made V8 copy the whole source once more into its heap (~10 ms a start).
  writeFileSync(cachedFile, `${cachedBundleWrapper}${lazyBuiltinHelper}${ascii}\n})`);
  const warmed = spawnSync(process.execPath, [join(root, "scripts", "warm-code-cache.mjs")], { stdio: "inherit" });
  if (warmed.status !== 0) throw new Error("the warm-up failed");
}

async function bundle() {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    console.warn("build: esbuild is not installed: bin/hearth runs the unbundled dist/cli/main.js");
    return;
  }
  const bundleFolder = join(output, "bundle");
  const esm = await esbuild.build({
    metafile: true,
    absWorkingDir: root,
    entryPoints: [join(output, "cli", "main.js")],
    outdir: bundleFolder,
    // Chunks beside the entry, all at one depth, so the rewritten import.meta.url holds for every chunk.
    chunkNames: "[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    // A bundled CommonJS package (commander) calls require() for Node's built-ins; an ES module has no require.
    banner: { js: 'import { createRequire as hearthCreateRequire } from "node:module";\nconst require = hearthCreateRequire(import.meta.url);' },
    charset: "ascii",
    plugins: [hearthBundlePlugin(bundleFolder, "esm")],
  });
  for (const file of Object.keys(esm.metafile.outputs)) {
    const path = join(root, file);
    if (path.endsWith(".js")) writeFileSync(path, asciiOnly(readFileSync(path, "utf8")));
  }

  // The same CLI as one CommonJS file with a V8 code cache, for the commands a user waits on (bin/cached-cli.mjs).
  // Optional: where it cannot be made (say a module awaits at its top level, which CommonJS cannot), bin/hearth runs
  // dist/bundle/ for every command.
  const cachedFolder = join(output, "cached");
  try {
    await cachedBundle(esbuild, esm.metafile, cachedFolder);
  } catch (error) {
    rmSync(cachedFolder, { recursive: true, force: true });
    console.warn(`build: no code-cached bundle (${error instanceof Error ? error.message : String(error)}): bin/hearth runs dist/bundle/ for every command`);
  }
}
await bundle();
writeFileSync(join(output, "build-stamp.json"), `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
