/**
 * The bundled CLI (built by scripts/build.mjs with esbuild: dist/bundle/, ES modules, and dist/cached/main.cjs,
 * CommonJS with V8's code cache, which bin/hearth runs for ingest, ask, search, draft and the like) must behave exactly as
 * the sources: the bundles rewrite each module's `import.meta.url` to its own compiled file in dist/ so data files
 * (word lists, weights, templates) and worker files still resolve, and a path that broke would change an answer or
 * fail a command. Ingest and the rest run from the cached bundle. A small library (PDF, Markdown, CSV) is ingested by the bundled process and by the sources in this
 * process; search, two questions (a passage and a table) and the template list must print the same. Runs where dist/
 * is built, current and bundled (after `npm ci` or `npm run build`); skips, saying so, otherwise.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { sampleCsv, sampleMarkdown, samplePdf } from "../src/loaders/sample-documents.ts";
import { repositoryRoot, runHearth, runHearthProcess, temporaryDirectory } from "./support/run-hearth.ts";
import { distIsCurrent } from "./support/compiled-build.ts";
import { cachedBundleWrapper } from "../bin/cached-cli.mjs";

const skip = !distIsCurrent(["bundle/main.js", "cached/main.cjs.cache"]);
if (skip) console.warn("skipped: dist/bundle/ is missing or older than src/ (npm run build) for the bundled CLI test");

const environment = { HEARTH_LLM_PROVIDER: "extractive", HEARTH_EMBEDDINGS_PROVIDER: "none", HEARTH_OCR: "off" };

describe.skipIf(skip)("the bundled CLI against the sources", () => {
  const bundled = temporaryDirectory();
  const sources = temporaryDirectory();
  const folder = temporaryDirectory("hearth-bundle-documents-");

  beforeAll(async () => {
    for (const document of [await samplePdf(), sampleMarkdown(), sampleCsv()]) writeFileSync(join(folder, document.fileName), document.bytes);
    const child = await runHearthProcess(["ingest", folder], { data: bundled, env: environment });
    expect(child.code, child.stderr).toBe(0);
    const inProcess = await runHearth(["ingest", folder], { data: sources, env: environment });
    expect(inProcess.code, inProcess.stderr).toBe(0);
  }, 120_000);

  it.each([
    ["search", ["search", "--json", "weekly cost of residential care"]],
    ["a question answered from a passage", ["ask", "How many new children's homes does the council plan to open?"]],
    ["a question answered from a table", ["ask", "What is the weekly cost of external residential placements in Northshire?"]],
    ["the built-in templates", ["templates", "--json"]],
    ["a draft from a template", ["draft", "stakeholder-map"]],
    ["a data set question as JSON", ["ask", "--json", "Which type of placement costs most per week in Northshire?"]],
  ])("prints the same for %s", async (_name, args) => {
    const child = await runHearthProcess(args, { data: bundled, env: environment });
    const inProcess = await runHearth(args, { data: sources, env: environment });
    expect(child.code, child.stderr).toBe(0);
    expect(inProcess.code, inProcess.stderr).toBe(0);
    expect(child.stdout.length).toBeGreaterThan(20);
    // The built-in templates are listed with their path: the compiled copy in dist/ beside the source in src/.
    expect(child.stdout.replaceAll(join(repositoryRoot, "dist") + sep, join(repositoryRoot, "src") + sep)).toBe(inProcess.stdout);
  }, 60_000);

  it("writes every bundle in ASCII, the cached one inside its wrapper with a code cache V8 accepts", () => {
    // One character outside Latin-1 makes V8 keep a whole bundle in two bytes a character; the cached bundle is read
    // as Latin-1 and compiled as read (bin/cached-cli.mjs), so it must hold nothing else. The escapes keep meaning: the
    // table answers above (pounds, dashes in ranges) print the same as the sources.
    const files = [
      ...readdirSync(join(repositoryRoot, "dist", "bundle")).filter((name) => name.endsWith(".js")).map((name) => join(repositoryRoot, "dist", "bundle", name)),
      join(repositoryRoot, "dist", "cached", "main.cjs"),
    ];
    for (const file of files) expect(readFileSync(file, "utf8").match(/[^\t\n\r\x20-\x7e]/)?.[0], file).toBeUndefined();
    const cachedFile = join(repositoryRoot, "dist", "cached", "main.cjs");
    const source = readFileSync(cachedFile, "latin1");
    expect(source.startsWith(cachedBundleWrapper)).toBe(true);
    // In a plain Node process, as bin/hearth runs it: V8 refuses a cache made under other flags, and this process may
    // run with some (a profiler's, the test pool's).
    const check = `const { readFileSync } = require("node:fs"); const vm = require("node:vm");
      const script = new vm.Script(readFileSync(${JSON.stringify(cachedFile)}, "latin1"), { filename: ${JSON.stringify(cachedFile)}, cachedData: readFileSync(${JSON.stringify(`${cachedFile}.cache`)}) });
      process.stdout.write(String(script.cachedDataRejected));`;
    const { NODE_OPTIONS: _options, ...plain } = process.env;
    expect(execFileSync(process.execPath, ["-e", check], { env: plain, encoding: "utf8" })).toBe("false");
  });

  it("starts --version from the cached bundle without Node's modules or zod that it does not use", () => {
    // scripts/build.mjs has the cached bundle require child_process, crypto, fs/promises and the like where a command
    // first uses them, and src/cli/zod-settings.ts sets zod's settings without loading zod. Output goes to a file (a
    // pipe would load net for the stream).
    const report = join(temporaryDirectory(), "loaded.json");
    const script = `
      import { writeFileSync } from "node:fs";
      import { loadCachedBundle } from ${JSON.stringify(pathToFileURL(join(repositoryRoot, "bin", "cached-cli.mjs")).href)};
      const before = new Set(process.moduleLoadList);
      const { exports } = loadCachedBundle(${JSON.stringify(join(repositoryRoot, "dist", "cached", "main.cjs"))}, "never");
      const code = await exports.main(["node", "hearth", "--version"]);
      const loaded = process.moduleLoadList.filter((name) => !before.has(name)).map((name) => name.replace(/^NativeModule /, ""));
      writeFileSync(${JSON.stringify(report)}, JSON.stringify({ code, loaded, zod: globalThis.__zod_globalRegistry !== undefined }));`;
    const { NODE_OPTIONS: _options, ...plain } = process.env;
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: plain, stdio: "ignore" });
    const { code, loaded, zod } = JSON.parse(readFileSync(report, "utf8")) as { code: number; loaded: string[]; zod: boolean };
    expect(code).toBe(0);
    for (const name of ["child_process", "crypto", "fs/promises", "worker_threads", "zlib", "dgram"]) expect(loaded).not.toContain(name);
    expect(zod).toBe(false);
  });

  it("ingests a PDF from the code-cached bundle too (MuPDF loaded before the modules that need it)", async () => {
    // bin/hearth runs ingest from dist/bundle/; the cached bundle must still load MuPDF where a command reaches it
    // (a data set's tables rebuilt before a question), so it is run here directly.
    const cached = temporaryDirectory();
    const script = `
      import { loadCachedBundle } from ${JSON.stringify(pathToFileURL(join(repositoryRoot, "bin", "cached-cli.mjs")).href)};
      const { exports } = loadCachedBundle(${JSON.stringify(join(repositoryRoot, "dist", "cached", "main.cjs"))}, "never");
      process.exitCode = await exports.main(["node", "hearth", "--data", ${JSON.stringify(cached)}, "ingest", ${JSON.stringify(folder)}]);`;
    execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, ...environment }, stdio: "ignore" });
    const args = ["search", "--json", "weekly cost of residential care"];
    const fromCached = await runHearth(args, { data: cached, env: environment });
    const inProcess = await runHearth(args, { data: sources, env: environment });
    expect(fromCached.stdout).toContain(".pdf");
    expect(fromCached.stdout).toBe(inProcess.stdout);
  }, 120_000);
});
