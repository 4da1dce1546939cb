/**
 * Two neighbouring words of the question are also searched as a phrase: a long passage that says "net gain" once
 * (a data set's notes) is a full-text candidate even where short passages holding the question's other words
 * crowd it out word by word.
 */
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { createSearcher } from "./search.ts";

const filler = "Figures are rounded to the nearest ten and exclude short breaks, and historical data may differ from older publications. ";
const notes = `${filler.repeat(12)}Net gain is the difference between the children placed within this boundary by other authorities and the children this authority places outside it. ${filler.repeat(12)}`;
const crowd = Array.from({ length: 12 }, (_, index) => `Placement data ${index}: the net figures for placement data and the gain in placement data this year.`);

describe("neighbouring words searched as a phrase", () => {
  it("finds a long passage that holds the question's two words together", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const long = sampleDocument("/nowhere/placement notes.txt", { format: "text", paged: false, text: notes });
    const short = sampleDocument("/nowhere/placement bulletin.txt", { format: "text", paged: false, text: crowd.join("\n\n") });
    await store.documents.replace(long.document, long.units, long.chunks);
    await store.documents.replace(short.document, short.units, short.chunks);
    const searcher = createSearcher(store);
    const results = await searcher.search("In the placement data what does net gain mean?", { limit: 5, candidates: 5, perPage: null });
    expect(results.some((result) => result.text.includes("Net gain is the difference"))).toBe(true);
    await store.close();
  });
});
