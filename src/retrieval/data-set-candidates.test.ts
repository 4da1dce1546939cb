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

  it("starts the data sets' own search beside the main one, not after it, with the same results", async () => {
    const question = "Which council had the highest net gain of children placed in children's homes in 2024?";
    const events: string[] = [];
    // The store's full-text search held open a while: run in turn, the data sets' search would start after the main one ended.
    const searchText: Store["passages"]["searchText"] = async (query) => {
      const label = query.documentIds ? "data sets" : "main";
      events.push(`start ${label}`);
      const hits = await store.passages.searchText(query);
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push(`end ${label}`);
      return hits;
    };
    // The store as it is (its methods bound to it), but for that search.
    const bound = <Target extends object>(target: Target, replaced: Record<string, unknown>): Target =>
      new Proxy(target, {
        get: (object, key) => {
          if (typeof key === "string" && key in replaced) return replaced[key];
          const value: unknown = Reflect.get(object, key, object);
          return typeof value === "function" ? (value as (...values: unknown[]) => unknown).bind(object) : value;
        },
      });
    const slow = bound(store, { passages: bound(store.passages, { searchText }) });
    const results = await createSearcher(slow).search(question, { limit: 5, candidates: 4 });
    expect(events.indexOf("start data sets")).toBeGreaterThanOrEqual(0);
    expect(events.indexOf("start data sets")).toBeLessThan(events.indexOf("end main"));
    expect(results).toEqual(await createSearcher(store).search(question, { limit: 5, candidates: 4 }));
  });

  it("leaves out data sets the question does not name", async () => {
    const results = await createSearcher(store).search("Which council had the highest needs?", { limit: 5, candidates: 4 });
    expect(results.some((result) => result.fileName.endsWith(".csv"))).toBe(false);
  });
});
