/** Data sets named by the question are searched on their own, so short prose passages cannot crowd their rows out. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { createSearcher } from "./search.ts";

describe("data-set candidates", () => {
  const folder = mkdtempSync(join(tmpdir(), "hearth-data-set-candidates-"));
  let store: Store;

  beforeAll(async () => {
    mkdirSync(join(folder, "library"));
    const councils = ["Kent", "Essex", "Surrey", "Devon", "Norfolk", "Suffolk", "Dorset", "Somerset"];
    const notes = Array.from({ length: 40 }, () => "Figures are rounded to the nearest 10 and exclude short breaks, respite and secure placements.").join(" ") + " Figures are rounded to the nearest 10 and exclude short breaks. Each figure counts children placed in children's homes within the council's boundary by other councils, less the council's own children placed elsewhere.";
    writeFileSync(
      join(folder, "library", "net gain.csv"),
      `council,placed_in,placed_out,difference,notes\n${councils.map((council, index) => `${council},${100 + index},${90 - index},${10 + 2 * index},"${notes}"`).join("\n")}\n`,
    );
    // Short prose passages that share the question's ordinary words, more of them than the candidates searched.
    for (let index = 0; index < 40; index++) {
      writeFileSync(join(folder, "library", `briefing ${index}.txt`), `Briefing ${index}: the net gain of places in children's homes was highest for the council in 2024, with children placed there.\n`);
    }
    const config = loadConfig({ HEARTH_OCR: "off" } as NodeJS.ProcessEnv, { dataDir: join(folder, "data") });
    if (!config.ok) throw config.error;
    store = openSqliteStore({ path: ":memory:" });
    await ingestPaths([join(folder, "library")], { store, config: config.value });
  }, 60_000);

  afterAll(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("reranks rows of the data set whose title holds the question's words though prose fills the full-text candidates", async () => {
    const results = await createSearcher(store).search("Which council had the highest net gain of children placed in children's homes in 2024?", { limit: 5, candidates: 4 });
    expect(results.some((result) => result.fileName.endsWith(".csv"))).toBe(true);
  });

  it("leaves out data sets the question does not name", async () => {
    const results = await createSearcher(store).search("Which council had the highest needs?", { limit: 5, candidates: 4 });
    expect(results.some((result) => result.fileName.endsWith(".csv"))).toBe(false);
  });
});
