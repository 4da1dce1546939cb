/** A question whose own words are all common in a small library is still searched when its rarer terms are only variants. */
import { describe, expect, it } from "vitest";
import { ingestSmallLibrary } from "../../test/support/small-library.ts";
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
});
