/**
 * A statute's provision is headed by its subject's short name ("Fitness of manager") while a question writes the whole
 * term ("registered manager"): the term's last word in a heading earns part of a heading's credit (search here; the
 * answer's scoring has the same credit, headNounCredit in answer-weights.json).
 */
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { createSearcher } from "./search.ts";

const passages: [string, string][] = [
  ["Fitness of manager", "A person has the appropriate experience if the person has worked for at least 2 years in a position relevant to the residential care of children."],
  ["Fitness of premises", "The premises have the appropriate experience of light and space, and worked well for at least 2 years."],
  ["Records", "The registered provider must keep a file on each child's placement."],
  // Other provisions, so that the question's words are rare enough to search for, as in a real statute.
  ...Array.from({ length: 12 }, (_, index): [string, string] => [`Menus ${index + 1}`, `Item ${index + 1}: the home keeps a menu of the meals served each day${index === 0 ? ", signed by the registered manager" : ""}.`]),
];

describe("a term's last word in a heading", () => {
  it("credits 'registered manager' under 'Fitness of manager', not under another heading", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const sample = sampleDocument("Homes Regulations.txt", { format: "text", paged: false, paragraphsPerPage: 1, text: passages.map(([, text]) => text).join("\n\n") });
    sample.chunks.forEach((chunk, index) => (chunk.headingPath = ["The Homes Regulations", passages[index]?.[0] ?? ""]));
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    const question = "What experience must a registered manager have?";
    const results = await createSearcher(store).search(question, { limit: 5, perPage: null });
    const manager = results.find((result) => result.headingPath.at(-1) === "Fitness of manager");
    const premises = results.find((result) => result.headingPath.at(-1) === "Fitness of premises");
    expect((manager?.signals.coverage ?? 0) - (premises?.signals.coverage ?? 0)).toBeGreaterThan(0.05);
    await store.close();
  });
});
