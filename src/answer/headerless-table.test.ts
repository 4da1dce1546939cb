/**
 * A table whose first line is a row of data, not column names (a glossary of terms without a header row): its first
 * row is a piece of evidence like the others, so the term it explains can be the answer.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { createSearcher } from "../retrieval/search.ts";
import { createExtractiveAnswerer } from "./extractive-answerer.ts";
import type { ExtractiveAnswerer } from "./extractive-answerer.ts";
import { canBeHeader } from "./table-row.ts";

const glossary = [
  "Responsible Individual (RI) | If the registered provider is an organisation, they must appoint a Responsible Individual. The Responsible Individual must be a director, manager, secretary or other officer of the organisation.",
  "Registered Manager | If the registered provider is an organisation or partnership, they must appoint a registered manager to manage the home day to day.",
  "Registered Person | Any person who is the registered provider or registered manager of a home.",
].join("\n");

describe("a table without a header row", () => {
  let store: Store;
  let answerer: ExtractiveAnswerer;

  beforeAll(async () => {
    store = openSqliteStore({ path: ":memory:" });
    const notes = ["fostering allowances", "adoption panels", "school admissions", "youth justice", "short breaks", "kinship care"]
      .map((subject) => `# ${subject}\n\nThis note describes ${subject} and how the service for ${subject} is arranged this year.`)
      .join("\n\n");
    const guide = sampleDocument("Guide to the Regulations.pdf", { format: "pdf", paged: true, paragraphsPerPage: 1, text: `Explanation of terms\n\n${glossary}` });
    // The glossary is one table passage, its rows on lines and its cells parted as the loaders part them.
    for (const chunk of guide.chunks) if (chunk.text.includes(" | ")) chunk.kind = "table";
    await store.documents.replace(guide.document, guide.units, guide.chunks);
    const other = sampleDocument("Other notes.md", { format: "markdown", paged: false, paragraphsPerPage: 2, text: notes });
    await store.documents.replace(other.document, other.units, other.chunks);
    answerer = createExtractiveAnswerer({ store, searcher: createSearcher(store) });
  });

  afterAll(async () => {
    await store.close();
  });

  it("takes a first line with a cell too long to name a column for a row, and a line of short names for a header", () => {
    expect(canBeHeader(glossary.split("\n")[0] ?? "")).toBe(false);
    expect(canBeHeader("Local authority | 2021 | 2022 | Change (%)")).toBe(true);
    // A long column name is still a name: only a long cell ending a sentence makes the line an entry.
    expect(canBeHeader("Local authority | Number of children looked after at 31 March placed outside the local authority boundary and more than 20 miles from home")).toBe(true);
  });

  it("answers from the table's first row", async () => {
    const answer = await answerer.answer("Who can be the Responsible Individual of an organisation?");
    expect(answer.refused).toBe(false);
    expect(answer.answer).toContain("secretary or other officer");
  });
});
