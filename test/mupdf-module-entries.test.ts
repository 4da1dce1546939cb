/**
 * Each compiled way into the PDF loader hands MuPDF the object its WebAssembly module fills in before MuPDF loads
 * (src/loaders/mupdf-module.ts), so pages are read from structured text rather than through JSON: the code-cached
 * CommonJS bundle (`hearth ingest`), the ES module bundle (the long-running commands), the unbundled CLI, and the PDF
 * page worker thread. The bundles place MuPDF's import ahead of the loaders' own code, which the CLI entry's import of
 * the handle covers. Runs where dist/ is built and current; skips, saying so, otherwise.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { samplePdf } from "../src/loaders/sample-documents.ts";
import { repositoryRoot, temporaryDirectory } from "./support/run-hearth.ts";
import { distIsCurrent } from "./support/compiled-build.ts";

const skip = !distIsCurrent(["bundle/main.js", "cached/main.cjs.cache"]);
if (skip) console.warn("skipped: dist/ is missing, unbundled or older than src/ (npm run build) for MuPDF's module in the compiled entries");

const environment = { ...process.env, HEARTH_LLM_PROVIDER: "extractive", HEARTH_EMBEDDINGS_PROVIDER: "none", HEARTH_OCR: "off" };
const url = (...path: string[]): string => JSON.stringify(pathToFileURL(join(repositoryRoot, ...path)).href);
/**
 * Printed by a child once MuPDF has loaded: whether Emscripten filled in the object mupdf-module.ts set, and whether
 * that object held the instantiateWasm that reads MuPDF's WebAssembly once (so the bundles' rewritten import.meta.url
 * found the file).
 */
const report = `const handed = globalThis["$libmupdf_wasm_Module"]; console.log("module filled: " + (typeof handed?._wasm_stext_char_get_c === "function") + ", own instantiation: " + (typeof handed?.instantiateWasm === "function"));`;

describe.skipIf(skip)("MuPDF's module in the compiled entries", () => {
  const folder = temporaryDirectory("hearth-mupdf-entries-");

  beforeAll(async () => {
    const pdf = await samplePdf();
    writeFileSync(join(folder, pdf.fileName), pdf.bytes);
  });

  /** Runs an ES module script in a fresh Node process and returns its last line of output. */
  const run = (script: string): string => execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: environment, encoding: "utf8" }).trim().split("\n").at(-1) ?? "";
  const ingest = (data: string): string => JSON.stringify(["node", "hearth", "--data", data, "ingest", folder]);

  it("is filled in when `hearth ingest` runs from the code-cached CommonJS bundle", () => {
    const script = `
      import { loadCachedBundle } from ${url("bin", "cached-cli.mjs")};
      const { exports } = loadCachedBundle(${JSON.stringify(join(repositoryRoot, "dist", "cached", "main.cjs"))}, "never");
      const code = await exports.main(${ingest(temporaryDirectory())});
      if (code !== 0) throw new Error("ingest failed: " + code);
      ${report}`;
    expect(run(script)).toBe("module filled: true, own instantiation: true");
  }, 60_000);

  it.each([
    ["the ES module bundle", ["dist", "bundle", "main.js"]],
    ["the unbundled CLI", ["dist", "cli", "main.js"]],
  ])("is filled in when ingest runs from %s", (_name, entry) => {
    const script = `
      const { main } = await import(${url(...entry)});
      const code = await main(${ingest(temporaryDirectory())});
      if (code !== 0) throw new Error("ingest failed: " + code);
      ${report}`;
    expect(run(script)).toBe("module filled: true, own instantiation: true");
  }, 60_000);

  it("is filled in in the PDF page worker thread (its module graph, as the loader starts it)", () => {
    // The worker module reads its request at the top; without one it replies with an error, then waits. By then its
    // imports have run: the reader in that thread is what they left.
    const script = `
      import { Worker } from "node:worker_threads";
      const worker = new Worker(${JSON.stringify(`
        Promise.all([import("node:worker_threads"), import(${url("dist", "loaders", "pdf-page-worker.js")})])
          .then(([{ parentPort }]) => import(${url("dist", "loaders", "pdf-page-text.js")}).then(({ pageTextReader }) => parentPort.postMessage({ reader: pageTextReader() })));
      `)}, { eval: true });
      worker.on("message", (message) => {
        if (message.reader === undefined) return;
        console.log(JSON.stringify(message.reader));
        void worker.terminate();
      });`;
    expect(run(script)).toBe(JSON.stringify({ kind: "structured text" }));
  }, 60_000);
});
