/**
 * Every PDF in ../shared/corpus/robustness (pdf.js parser tests: fuzzed, encrypted, broken xref, odd fonts)
 * either loads or fails with a message naming the file; none throws or hangs.
 */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { withoutCorpus } from "../../test/support/corpus.ts";
import { contextFor, corpusPath } from "./loader-contract.ts";
import { pdfLoader } from "./pdf.ts";

const folder = corpusPath("robustness");
const files = withoutCorpus()
  ? []
  : readdirSync(folder)
      .filter((name) => name.toLowerCase().endsWith(".pdf"))
      .sort();

describe.skipIf(withoutCorpus())("pdfLoader robustness corpus", () => {
  it("has the sample files", () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  for (const name of files) {
    it(`${name}: loads or fails cleanly (never hangs: the test times out at 30 s)`, async () => {
      const path = `${folder}/${name}`;
      const result = await pdfLoader.load(new Uint8Array(readFileSync(path)), contextFor(path));
      if (result.ok) {
        expect(result.value.format).toBe("pdf");
        const pages = result.value.units.map((unit) => unit.page ?? 0);
        expect(pages.every((page, index) => page >= 1 && (index === 0 || page > (pages[index - 1] ?? 0)))).toBe(true);
        // Unmapped glyphs ("�") and symbol-font private-use characters never reach the text.
        const text = result.value.units
          .flatMap((unit) => unit.blocks)
          .map((block) => (block.kind === "table" ? [block.caption ?? "", ...block.header, ...block.rows.flat()].join(" ") : block.text))
          .join("\n");
        expect(text).not.toMatch(/[\uE000-\uF8FF\uFFFD]/u);
      } else {
        expect(result.error.message.startsWith(`${name}: `)).toBe(true);
        expect(result.error.message).not.toContain("\n");
      }
    }, 30_000);
  }

  it("reports the password-protected files as ENCRYPTED_FILE", async () => {
    for (const name of ["issue6010_1.pdf", "print_protection.pdf"]) {
      const path = `${folder}/${name}`;
      const result = await pdfLoader.load(new Uint8Array(readFileSync(path)), contextFor(path));
      expect(result.ok ? "ok" : result.error.code).toBe("ENCRYPTED_FILE");
    }
  });

  it("reads the 352-page book, noting its image-only pages", async () => {
    const path = `${folder}/freeculture.pdf`;
    const result = await pdfLoader.load(new Uint8Array(readFileSync(path)), contextFor(path));
    if (!result.ok) throw result.error;
    expect(result.value.units.length).toBeGreaterThan(340);
    expect(result.value.warnings.join("\n")).toMatch(/freeculture\.pdf: pages? .* no text layer/);
  });

  it("notes a repaired file in the warnings", async () => {
    const path = `${folder}/xref_command_missing.pdf`;
    const result = await pdfLoader.load(new Uint8Array(readFileSync(path)), contextFor(path));
    if (!result.ok) throw result.error;
    expect(result.value.warnings).toEqual(["xref_command_missing.pdf: the PDF is damaged and was repaired on reading, so some text may be missing"]);
  });
});
