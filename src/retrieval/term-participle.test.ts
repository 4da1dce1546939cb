/**
 * A question's word that stems like a participle set inside a glossary term ("look" and "looked after children") is not
 * found inside that term, in a passage or in a title: the term's word is an adjective there, not the verb asked about.
 */
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { loadDefaultGlossary } from "./glossary.ts";
import { analyseQuery, positionsOutsideTerms } from "./query.ts";
import { createSearcher } from "./search.ts";
import { stems } from "./tokenize.ts";

const glossary = loadDefaultGlossary();

function form(question: string, word: string) {
  const found = analyseQuery(question, glossary).concepts.flatMap((concept) => concept.forms).find((each) => each.words.join(" ") === word);
  if (!found) throw new Error(`no form ${word}`);
  return found;
}

describe("a question's word inside a term it does not ask about", () => {
  it("keeps 'look' out of 'looked after children' but finds it on its own", () => {
    const look = form("What should the first days of a placement look like?", "look");
    expect(look.notWithin?.map((term) => term.join(" "))).toContain("look after children");
    const text = stems("Looked after children look forward to the first days in a new home.");
    const everywhere = text.flatMap((stem, index) => (stem === "look" ? [index] : []));
    expect(everywhere).toHaveLength(2);
    expect(positionsOutsideTerms(text, look, everywhere)).toEqual([everywhere[1]]);
  });

  it("leaves alone the same word written alike ('home' in 'children's homes') and a question that asks about the term", () => {
    expect(form("Can the same inspector keep inspecting our home?", "home").notWithin).toBeUndefined();
    const asked = analyseQuery("How are looked after children supported to look forward?", glossary);
    expect(asked.concepts.some((concept) => concept.kind === "term" && concept.label === "looked after children")).toBe(true);
  });

  it("ranks a passage saying the thing asked above one that only names the term", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const text = [
      "Looked after children in the county are placed close to home, and looked after children keep their school.",
      "What the first day should look like: a welcome, a tour of the home and a meal together.",
    ].join("\n\n");
    const sample = sampleDocument("Home guide.txt", { format: "text", paged: false, paragraphsPerPage: 1, text });
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    const results = await createSearcher(store).search("what should the first day look like for a new child", { limit: 2 });
    expect(results[0]?.text).toMatch(/^What the first day should look like/);
    const looked = results.find((result) => result.text.startsWith("Looked after"));
    expect(looked?.signals.coverage ?? 0).toBeLessThan(0.5);
    await store.close();
  });
});
