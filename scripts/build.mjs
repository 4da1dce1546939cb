#!/usr/bin/env node
// Compiles src/ to dist/ for a fast `bin/hearth` (no TypeScript loader at start-up). Runs as `npm run build` and
// from `prepare`, so `npm install` and `npm ci` leave a runnable dist/.
//   1. tsc emits JavaScript only (--noCheck: `npm run typecheck` is the type check; emitting stays ~5 s);
//   2. every runtime file under src/ that is not TypeScript (JSON data, templates) is copied to the same relative
//      place, so code that reads `new URL("./x.json", import.meta.url)` finds it from dist/ too;
//   3. dist/build-stamp.json is written last: bin/hearth runs dist/ only when it exists and no file under src/ is
//      newer than it.
// Without TypeScript installed (`npm ci --omit=dev`) it says so and leaves no dist/: bin/hearth then runs the
// sources through tsx.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

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
writeFileSync(join(output, "build-stamp.json"), `${JSON.stringify({ builtAt: new Date().toISOString() })}\n`);
