/**
 * Over every PDF of the sample corpus's library/, real/ and dev2/docs/: no stored passage holds U+FFFD (an unmapped
 * glyph shown as "�") or a private-use character (a symbol-font bullet), and symbol bullets read as "•". The
 * robustness/ PDFs get the same check in src/loaders/robustness.test.ts, which loads them anyway. Skips without
 * ../shared/corpus.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config/config.ts";
import { ingestPaths } from "../src/ingest/ingest.ts";
import { openSqliteStore } from "../src/store/sqlite-store.ts";
import { corpus, withoutCorpus } from "./support/corpus.ts";
import { temporaryDirectory } from "./support/run-hearth.ts";

describe.skipIf(withoutCorpus())("PDF text in the store", () => {
  it("holds no U+FFFD or private-use characters for any corpus PDF, and symbol bullets read as '•'", async () => {
    const folders = ["library", "real", "dev2/docs"];
    const pdfs = folders.flatMap((folder) =>
      readdirSync(corpus(folder))
        .filter((name) => name.toLowerCase().endsWith(".pdf"))
        .map((name) => join(corpus(folder), name)),
    );
    const dataDir = temporaryDirectory();
    const config = loadConfig({ HEARTH_OCR: "off" }, { dataDir });
    if (!config.ok) throw config.error;
    const store = openSqliteStore({ dataDir });
    try {
      const summary = await ingestPaths(pdfs, { store, config: config.value });
      expect(summary.ingested).toBeGreaterThan(10);
      const offending: string[] = [];
      let nottinghamshirePage5 = "";
      for (const document of await store.documents.list()) {
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
    }
  }, 600_000);
});
