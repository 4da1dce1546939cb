/** Data sets named by the question are searched on their own, so short prose passages cannot crowd their rows out. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestSmallLibrary, type SmallLibrary } from "../../test/support/small-library.ts";
import type { Store } from "../store/types.ts";
import { createSearcher } from "./search.ts";

describe("data-set candidates", () => {
  let library: SmallLibrary;
  let store: Store;

  beforeAll(async () => {
    const files: Record<string, string> = {};
    const councils = ["Kent", "Essex", "Surrey", "Devon", "Norfolk", "Suffolk", "Dorset", "Somerset"];
    const notes = Array.from({ length: 40 }, () => "Figures are rounded to the nearest 10 and exclude short breaks, respite and secure placements.").join(" ") + " Figures are rounded to the nearest 10 and exclude short breaks. Each figure counts children placed in children's homes within the council's boundary by other councils, less the council's own children placed elsewhere.";
    files["net gain.csv"] = `council,placed_in,placed_out,difference,notes\n${councils.map((council, index) => `${council},${100 + index},${90 - index},${10 + 2 * index},"${notes}"`).join("\n")}\n`;
    // Short prose passages that share the question's ordinary words, more of them than the candidates searched.
    for (let index = 0; index < 40; index++) {
      files[`briefing ${index}.txt`] = `Briefing ${index}: the net gain of places in children's homes was highest for the council in 2024, with children placed there.\n`;
    }
    library = await ingestSmallLibrary(files, { prefix: "hearth-data-set-candidates-" });
    store = library.store;
  }, 60_000);

  afterAll(async () => {
    await library.close();
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
