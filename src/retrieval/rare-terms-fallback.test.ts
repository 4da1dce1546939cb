/** A question whose own words are all common in a small library is still searched when its rarer terms are only variants. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { createSearcher } from "./search.ts";

describe("rarer terms that are only variants", () => {
  it("searches every term when the rare ones (the glossary's 'kid', 'pupil' for 'children') find nothing", async () => {
    const folder = mkdtempSync(join(tmpdir(), "hearth-rare-variants-"));
    writeFileSync(join(folder, "Exampleshire strategy.md"), "# Profile\n\nOf our 953 children in Exampleshire, 55.2% are in unrelated foster care.\n");
    writeFileSync(join(folder, "Exampleshire homes.md"), "# Homes\n\nExampleshire children in care live in 12 children's homes.\n");
    const config = loadConfig({}, { dataDir: folder });
    if (!config.ok) throw config.error;
    const store = openSqliteStore({ path: ":memory:" });
    try {
      await ingestPaths([folder], { store, config: config.value });
      const searcher = createSearcher(store);
      expect(searcher.analyse("How many children are in care in Exampleshire?").concepts[0]?.forms.map((form) => form.words[0])).toContain("pupil");
      const results = await searcher.search("How many children are in care in Exampleshire?", { limit: 5 });
      expect(results.map((result) => result.fileName)).toContain("Exampleshire strategy.md");
    } finally {
      await store.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
