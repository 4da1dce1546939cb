/**
 * Over every PDF of the sample corpus's library/, real/ and dev2/docs/: no stored passage holds U+FFFD (an unmapped
 * glyph shown as "�") or a private-use character (a symbol-font bullet), and symbol bullets read as "•". The
 * robustness/ PDFs get the same check in src/loaders/robustness.test.ts, which loads them anyway. Skips without
 * ../shared/corpus. library/ and real/ come from the run's shared corpus library (test/support/corpus-library.ts).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.ts";
import { ingestPaths } from "../src/ingest/ingest.ts";
import { corpus, withoutCorpus } from "./support/corpus.ts";
import { openCorpusLibraryCopy } from "./support/corpus-library.ts";

describe.skipIf(withoutCorpus())("PDF text in the store", () => {
  it("holds no U+FFFD or private-use characters for any corpus PDF, and symbol bullets read as '•'", async () => {
    // library/ and real/ come ingested (once per run, shared with other test files); dev2/docs' PDFs are added here.
    const pdfs = readdirSync(corpus("dev2/docs"))
      .filter((name) => name.toLowerCase().endsWith(".pdf"))
      .map((name) => join(corpus("dev2/docs"), name));
    const library = await openCorpusLibraryCopy();
    const config = loadConfig({ HEARTH_OCR: "off" }, { dataDir: library.dataDir });
    if (!config.ok) throw config.error;
    const store = library.store;
    try {
      const summary = await ingestPaths(pdfs, { store, config: config.value });
      expect(summary.ingested).toBeGreaterThan(5);
      const documents = (await store.documents.list()).filter((document) => document.format === "pdf");
      // Every PDF of the three folders is there: library/ and real/ from the shared library, dev2/docs from above.
      const expected = ["library", "real", "dev2/docs"].flatMap((folder) => readdirSync(corpus(folder)).filter((name) => name.toLowerCase().endsWith(".pdf")));
      expect(documents.map((document) => document.fileName).sort()).toEqual(expected.sort());
      const offending: string[] = [];
      let nottinghamshirePage5 = "";
      for (const document of documents) {
        for (const unit of ((await store.documents.unitTexts([document.id])).get(document.id) ?? [])) {
          const found = /[\uE000-\uF8FF\uFFFD]/u.exec(unit.text);
          if (found) offending.push(`${document.fileName} page ${unit.page}: …${unit.text.slice(Math.max(0, found.index - 30), found.index + 30)}…`);
          if (document.fileName.startsWith("Nottinghamshire") && unit.page === 5) nottinghamshirePage5 += unit.text;
        }
      }
      expect(offending).toEqual([]);
      expect(nottinghamshirePage5).toMatch(/• We will provide better support/);
    } finally {
      await store.close();
      library.remove();
    }
  }, 600_000);
});
