/**
 * The searcher keeps, per library version, how many titles hold each form of a question (whether a name is a
 * document's subject): a library that changes must be searched as a new searcher would search it.
 */
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { createSearcher } from "./search.ts";
import { classifyQuestion, definesTerm } from "./question-shape.ts";

const add = async (store: ReturnType<typeof openSqliteStore>, file: string, text: string): Promise<void> => {
  const sample = sampleDocument(`/nonexistent-hearth-test/${file}`, { format: "text", paged: false, text });
  await store.documents.replace(sample.document, sample.units, sample.chunks);
};

describe("counts of titles holding a question's words, kept per library version", () => {
  it("follow the library: a name that becomes common in titles stops marking other documents off-subject", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    await add(store, "Blackpool sufficiency.txt", "Placement sufficiency in Blackpool relies on residential children's homes.");
    await add(store, "Leeds sufficiency.txt", "Placement sufficiency relies on foster carers and residential children's homes.");
    await add(store, "Kent sufficiency.txt", "Kent commissions placements for disabled children.");
    const question = "What does Blackpool say about placement sufficiency?";
    const kept = createSearcher(store);
    const leeds = async (searcher: ReturnType<typeof createSearcher>): Promise<number | undefined> =>
      (await searcher.search(question, { limit: 5 })).find((result) => result.fileName === "Leeds sufficiency.txt")?.score;
    const before = await leeds(kept);
    expect(before).toBeDefined();
    expect(before).toBe(await leeds(createSearcher(store)));
    // Blackpool in most titles now: no longer a name that picks out a document.
    for (const number of [1, 2, 3, 4]) await add(store, `Blackpool report ${number}.txt`, `Report ${number} on fostering recruitment.`);
    // A searcher that kept the first version's counts would still take Blackpool for a subject here and mark the Leeds
    // passage off-subject: a new searcher does not.
    expect(await leeds(kept)).toBe(await leeds(createSearcher(store)));
    await store.close();
  });
});

describe("definition verdicts with patterns kept per term and words kept per text", () => {
  it("give each term its own verdict on the same passage, the same each time", () => {
    const text = "Children missing education are children of compulsory school age who are not registered pupils at a school.";
    const missing = classifyQuestion("What is children missing education?");
    const elective = classifyQuestion("What is elective home education?");
    for (let round = 0; round < 2; round++) {
      expect(definesTerm(missing, text)).toBe(true);
      expect(definesTerm(elective, text)).toBe(false);
      expect(definesTerm(missing, "Local authorities should trace children missing education quickly.")).toBe(false);
    }
  });
});
