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
//   5. dist/build-stamp.json is written last: bin/hearth runs dist/ only when it exists and no file under src/ is
//      newer than it (the bundle when it was built, else dist/cli/main.js).
// Without TypeScript installed (`npm ci --omit=dev`) it says so and leaves no dist/: bin/hearth then runs the
// sources through tsx.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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

async function bundle() {
  let esbuild;
  try {
    esbuild = await import("esbuild");
  } catch {
    console.warn("build: esbuild is not installed: bin/hearth runs the unbundled dist/cli/main.js");
    return;
  }
  const bundleFolder = join(output, "bundle");
  await esbuild.build({
    entryPoints: [join(output, "cli", "main.js")],
    outdir: bundleFolder,
    // Chunks beside the entry, all at one depth, so the rewritten import.meta.url below holds for every chunk.
    chunkNames: "[name]-[hash]",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
    // A bundled CommonJS package (commander) calls require() for Node's built-ins; an ES module has no require.
    banner: { js: 'import { createRequire as hearthCreateRequire } from "node:module";\nconst require = hearthCreateRequire(import.meta.url);' },
    plugins: [
      {
        name: "hearth-bundle",
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith("node:") || !bundledPackages.has(packageName(args.path))) return { path: args.path, external: true };
            return undefined;
          });
          build.onLoad({ filter: /\.js$/ }, async (args) => {
            if (!args.path.startsWith(output + sep)) return undefined; // a package's file: as it is
            const text = await readFile(args.path, "utf8");
            if (!text.includes("import.meta.url")) return { contents: text, loader: "js" };
            const ownUrl = `new URL(${JSON.stringify(relative(bundleFolder, args.path).split(sep).join("/"))}, import.meta.url).href`;
            return { contents: text.replaceAll("import.meta.url", `(${ownUrl})`), loader: "js" };
          });
        },
      },
    ],
  });
}
await bundle();
writeFileSync(join(output, "build-stamp.json"), `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
