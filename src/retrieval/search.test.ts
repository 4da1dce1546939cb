/** The searcher's result selection: one result per copy of the same text, the paged copy standing for the rest. */
import { describe, expect, it } from "vitest";
import { corpusPath } from "../loaders/loader-contract.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { createSearcher } from "./search.ts";

const table = "Type of Placement | Exampleshire Unit Cost | Average Unit Cost\nIn-house Residential Children's Homes | £2,278 per week | £2,611 per week\nIn-house Foster Care | £460 per week | £432 per week";
const other = "Foster carers in Exampleshire are recruited through the fostering hub and paid a weekly allowance for each child.";

describe("search results", () => {
  it("folds the same passage from several files into the copy with a page, keeping the best score", () => {
    const store = openSqliteStore({ path: ":memory:" });
    for (const [file, format, paged] of [
      ["Exampleshire strategy.txt", "text", false],
      ["Exampleshire strategy.pdf", "pdf", true],
      ["Exampleshire strategy.html", "html", false],
    ] as const) {
      const sample = sampleDocument(corpusPath(`formats/${file}`), { format, paged, paragraphsPerPage: 1, text: `${table}\n\n${other}\n\nThis copy is ${file}.` });
      store.replaceDocument(sample.document, sample.units, sample.chunks);
    }
    const searcher = createSearcher(store);
    const results = searcher.search("in-house residential children's homes weekly cost", { limit: 5 });
    expect(results.filter((result) => result.text.includes("£2,278")).map((result) => [result.fileName, result.page])).toEqual([["Exampleshire strategy.pdf", 1]]);
    // Different passages are not folded together.
    expect(searcher.search("foster carers weekly allowance fostering hub", { limit: 5 }).filter((result) => result.text.includes("fostering hub"))).toHaveLength(1);
    // Each file's own line stays: short lines are never taken for copies.
    const everything = searcher.search("Exampleshire copy", { limit: 10 });
    expect(everything.filter((result) => result.text.startsWith("This copy is")).map((result) => result.fileName).sort()).toEqual([
      "Exampleshire strategy.html",
      "Exampleshire strategy.pdf",
      "Exampleshire strategy.txt",
    ]);
    store.close();
  });
});
