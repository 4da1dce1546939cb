/** A question whose own words are all common in a small library is still searched when its rarer terms are only variants. */
import { describe, expect, it } from "vitest";
import { ingestSmallLibrary } from "../../test/support/small-library.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { createSearcher } from "./search.ts";

describe("rarer terms that are only variants", () => {
  it("searches every term when the rare ones (the glossary's 'kid', 'pupil' for 'children') find nothing", async () => {
    const library = await ingestSmallLibrary(
      {
        "Exampleshire strategy.md": "# Profile\n\nOf our 953 children in Exampleshire, 55.2% are in unrelated foster care.\n",
        "Exampleshire homes.md": "# Homes\n\nExampleshire children in care live in 12 children's homes.\n",
      },
      { prefix: "hearth-rare-variants-" },
    );
    try {
      const searcher = createSearcher(library.store);
      expect(searcher.analyse("How many children are in care in Exampleshire?").concepts[0]?.forms.map((form) => form.words[0])).toContain("pupil");
      const results = await searcher.search("How many children are in care in Exampleshire?", { limit: 5 });
      expect(results.map((result) => result.fileName)).toContain("Exampleshire strategy.md");
    } finally {
      await library.close();
    }
  });

  it("searches every term when the rare ones find nothing though a phrase of the question does ('look like')", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const text = [
      "Staff make the rota and make sure the house looks like a home.",
      "A welcoming environment helps a child settle.",
      "The garden is kept tidy by the staff.",
      "Meals are cooked fresh each day.",
    ].join("\n\n");
    const sample = sampleDocument("Home guide.txt", { format: "text", paged: true, paragraphsPerPage: 1, text });
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    const results = await createSearcher(store).search("how do we make a child welcome and what should it look like", { limit: 4 });
    expect(results.map((result) => result.text)).toContain("A welcoming environment helps a child settle.");
    await store.close();
  });
});
