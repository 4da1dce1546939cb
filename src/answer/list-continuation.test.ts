/**
 * A provision's list whose first item ends the sentence introducing it ("... if the person has— (a) ...;") is quoted
 * with the items that follow it on the page ("(b) ...; and (c) ..."), so the requirement is read whole.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSearcher } from "../retrieval/search.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import type { ExtractiveAnswerer } from "./extractive-answerer.ts";
import { createExtractiveAnswerer } from "./extractive-answerer.ts";

describe("a list continued after its first item", () => {
  let store: Store;
  let answerer: ExtractiveAnswerer;

  beforeAll(async () => {
    store = openSqliteStore({ path: ":memory:" });
    const pages = [
      "(2) A manager has the appropriate experience if the manager has— (a) worked for at least 2 years in a position relevant to residential care;",
      "(b) worked for at least one year in a role supervising staff; and (c) attained the Level 5 Diploma in Leadership and Management.",
      "(3) The manager keeps a record of the qualification.",
      ...["fostering allowances", "adoption panels", "school admissions", "youth justice", "short breaks", "kinship care"].map(
        (subject) => `This note describes ${subject} and how the service for ${subject} is arranged this year.`,
      ),
    ];
    const statute = sampleDocument("Regulations.pdf", { format: "pdf", paged: true, paragraphsPerPage: 3, text: pages.join("\n\n") });
    await store.documents.replace(statute.document, statute.units, statute.chunks);
    answerer = createExtractiveAnswerer({ store, searcher: createSearcher(store) });
  });

  afterAll(async () => {
    await store.close();
  });

  it("quotes the items after the first, up to the next paragraph", async () => {
    const answer = await answerer.answer("What experience must a manager have?");
    const lead = answer.answer.split("\n")[0] ?? "";
    expect(lead).toContain("worked for at least 2 years");
    expect(lead).toContain("(c) attained the Level 5 Diploma");
    expect(lead).not.toContain("keeps a record");
  });
});
