/**
 * mupdf-module.ts must be evaluated before mupdf.js for the structured-text reader to have MuPDF's WebAssembly
 * module: every file that loads "mupdf" imports it first (checked here over the sources, tests and benchmarks), and
 * where MuPDF was loaded first anyway, pages are read through JSON and `pageTextReader()` says why. The compiled
 * entries (the bundles, the page worker) are checked in test/mupdf-module-entries.test.ts.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "../../test/support/corpus.ts";
import { temporaryDirectory } from "../../test/support/run-hearth.ts";

/** TypeScript files under the given folders of the repository, tests included. */
function sourceFiles(folders: readonly string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(join(repositoryRoot, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name))
      .map((entry) => join(entry.parentPath, entry.name)),
  );
}

/** Where a file loads "mupdf" as a value (a static import that is not `import type`, or `import("mupdf")`). */
const loadsMupdf = /^import (?!type\b)[^;]*from "mupdf";|\bimport\("mupdf"\)/m;
/** A static import of the handle, by whatever relative path. */
const importsHandle = /^import (?:\{[^}]*\} from )?"(?:\.{1,2}\/)+(?:src\/)?(?:loaders\/)?mupdf-module\.(?:ts|js)";/m;

describe("mupdf-module.ts before MuPDF", () => {
  it("is imported, ahead of it, by every file that loads MuPDF", () => {
    const files = sourceFiles(["src", "test", "bench"]).filter((file) => !file.endsWith("mupdf-module.test.ts"));
    const loading = files.filter((file) => loadsMupdf.test(readFileSync(file, "utf8")));
    expect(loading.length).toBeGreaterThan(5);
    const late = loading.filter((file) => {
      const text = readFileSync(file, "utf8");
      const handle = importsHandle.exec(text);
      return handle === null || handle.index > (loadsMupdf.exec(text)?.index ?? 0);
    });
    expect(late.map((file) => relative(repositoryRoot, file))).toEqual([]);
  });

  it("is imported first by the CLI's entry, which the bundles run before any module that loads MuPDF", () => {
    const entry = readFileSync(join(repositoryRoot, "src", "cli", "main.ts"), "utf8");
    const imports = [...entry.matchAll(/^import [^;]*;/gm)].map((match) => match[0]);
    expect(imports.findIndex((line) => line.includes("mupdf-module"))).toBeLessThanOrEqual(1);
  });

  it("leaves pages to the JSON path, saying why, where MuPDF was loaded before it", () => {
    const folder = temporaryDirectory();
    const script = join(folder, "mupdf-first.mts");
    const source = (path: string): string => JSON.stringify(pathToFileURL(join(repositoryRoot, "src", "loaders", path)).href);
    writeFileSync(
      script,
      [
        // "mupdf" as the repository resolves it (the package's one export), first.
        `import * as mupdf from ${JSON.stringify(pathToFileURL(join(repositoryRoot, "node_modules", "mupdf", "dist", "mupdf.js")).href)};`,
        `const { pageTextReader, readPage } = await import(${source("pdf-page-text.ts")});`,
        `const { samplePdf } = await import(${source("sample-documents.ts")});`,
        `const document = mupdf.Document.openDocument((await samplePdf()).bytes, "application/pdf");`,
        `console.log(JSON.stringify({ reader: pageTextReader(), first: readPage(document, 0).lines[0]?.text }));`,
      ].join("\n"),
    );
    const child = spawnSync(process.execPath, ["--import", "tsx", script], { cwd: repositoryRoot, encoding: "utf8" });
    expect(child.status, child.stderr).toBe(0);
    const reported = JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "{}") as { reader: { kind: string; reason?: string }; first?: string };
    expect(reported.reader.kind).toBe("JSON");
    expect(reported.reader.reason).toContain("MuPDF was loaded before src/loaders/mupdf-module.ts");
    expect(reported.first).toBe("Northshire Placement Strategy 2024-27");
  });
});
