/** Search that knows which council each document is about: date-named reports found by their council's name. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import type { Searcher } from "../retrieval/search.ts";
import { createSearcher } from "../retrieval/search.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import { countedVersionReads } from "../store/test-fixtures/counted-version-reads.ts";
import { corpus, withoutCorpus } from "../../test/support/corpus.ts";
import { describeDocumentIdentity, tagDocumentIdentity } from "./document-identity.ts";
import { withDocumentIdentity, withoutCouncilNames } from "./identity-search.ts";

const filler =
  "Leaders have strengthened the front door and social workers now see children quickly. Managers review plans each month " +
  "and the quality of assessments has improved since the last visit. Partners share information well. ";

/** An Ofsted report laid out as the real ones are: the council named once, on its first lines; the file name a date. */
function report(council: string, councilSentence: string): string {
  return [
    "Ofsted",
    `Inspection of ${council} local authority children’s services`,
    "Inspection dates: 5 to 16 December 2022",
    "1. Help and protection",
    filler.repeat(4),
    "2. Children in care",
    councilSentence,
  ].join("\n\n");
}

async function ingestFolder(files: Record<string, string>): Promise<Store> {
  const folder = mkdtempSync(join(tmpdir(), "hearth-identity-search-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  const config = loadConfig({}, { dataDir: "/nonexistent-hearth-test" });
  if (!config.ok) throw config.error;
  const store = openSqliteStore({ path: ":memory:" });
  await ingestPaths([folder], { store, config: config.value });
  return store;
}

describe("a question naming a council finds that council's date-named report", () => {
  let store: Store;
  const blackpool = "children's services inspection - 01 february 2023.txt";
  const sunderland = "children's services inspection - 11 march 2025.txt";

  beforeAll(async () => {
    store = await ingestFolder({
      [blackpool]: report("Blackpool", "The children in care council is called the Voice Crew. Its members meet senior leaders every month and shaped the pledge."),
      // Another council's report that says "children in care council" more often: plain ranking prefers it.
      [sunderland]: report(
        "Sunderland City Council",
        "The children in care council is called the Change Council. The children in care council meets monthly, and the children in care council is valued by children in care.",
      ),
    });
  });
  afterAll(() => store.close());

  const question = "What is Blackpool's children in care council called?";

  it("ranks the named council's passage first, where plain search ranks the other council's", async () => {
    const plain = await createSearcher(store).search(question, { limit: 5 });
    const plainVoiceCrew = plain.findIndex((result) => result.text.includes("Voice Crew"));
    const plainChangeCouncil = plain.findIndex((result) => result.text.includes("Change Council"));
    // Without identity the page that answers ranks below the other council's (the name is on page 1 only).
    expect(plainChangeCouncil).toBeGreaterThanOrEqual(0);
    expect(plainVoiceCrew === -1 || plainVoiceCrew > plainChangeCouncil).toBe(true);

    const results = await withDocumentIdentity(createSearcher(store), store).search(question, { limit: 5 });
    expect(results[0]?.fileName).toBe(blackpool);
    expect(results[0]?.text).toContain("Voice Crew");
    const changeCouncil = results.findIndex((result) => result.text.includes("Change Council"));
    expect(changeCouncil === -1 || changeCouncil > 0).toBe(true);
  });

  it("follows a tag: a report tagged as another council's is found by that name", async () => {
    const document = (await store.documents.list()).find((candidate) => candidate.fileName === sunderland);
    if (!document) throw new Error("fixture missing");
    await tagDocumentIdentity(store, document, { about: "Cumberland" });
    const results = await withDocumentIdentity(createSearcher(store), store).search("Cumberland children in care council", { limit: 3 });
    expect(results[0]?.text).toContain("Change Council");
    await tagDocumentIdentity(store, document, { about: "Sunderland" });
  });

  it("keeps the caller's document filter and page cap, and leaves questions naming no council as they were", async () => {
    const searcher = withDocumentIdentity(createSearcher(store), store);
    const sunderlandId = (await store.documents.list()).find((candidate) => candidate.fileName === sunderland)?.id ?? -1;
    const filtered = await searcher.search(question, { limit: 5, documentIds: [sunderlandId] });
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((result) => result.documentId === sunderlandId)).toBe(true);

    const unnamed = "children in care council called";
    expect(await searcher.search(unnamed, { limit: 5 })).toEqual(await createSearcher(store).search(unnamed, { limit: 5 }));
    // Wrapping twice changes nothing.
    expect(withDocumentIdentity(searcher, store)).toBe(searcher);
  });

  it("starts the search of the council's documents once the first search's main search is back, and reads the library version once", async () => {
    const events: string[] = [];
    const counted = countedVersionReads(store);
    const inner = createSearcher(counted.store);
    const watched: Searcher = {
      analyse: (query) => inner.analyse(query),
      async search(query, options) {
        const which = options.documentIds === undefined ? "whole library" : "council's documents";
        events.push(`${which} starts`);
        const results = await inner.search(query, options);
        events.push(`${which} ends`);
        return results;
      },
    };
    const results = await withDocumentIdentity(watched, counted.store).search(question, { limit: 5 });
    expect(results[0]?.text).toContain("Voice Crew");
    expect(events.indexOf("council's documents starts")).toBeGreaterThan(events.indexOf("whole library starts"));
    // Beside the first search's rerank, not after it.
    expect(events.indexOf("council's documents starts")).toBeLessThan(events.indexOf("whole library ends"));
    expect(counted.reads()).toBe(1);
  });

  it("takes only the council's words out of the question", async () => {
    expect(withoutCouncilNames("What is Blackpool's children in care council called?", ["Blackpool"])).toBe("What is children in care council called?");
    expect(withoutCouncilNames("blackpool ILACS grade", ["Blackpool"])).toBe("ILACS grade");
    expect(withoutCouncilNames("Compare North Somerset and Somerset", ["North Somerset", "Somerset"])).toBe("Compare and");
    expect(withoutCouncilNames("notts placements", ["Nottinghamshire"])).toBe("placements");
    expect(withoutCouncilNames("placements in Kent", ["Blackpool"])).toBe("placements in Kent");
  });
});

describe.skipIf(withoutCorpus())("over the dev2 Ofsted reports", () => {
  it(
    "finds each council's date-named ILACS report by its name among the other dev2 documents",
    async () => {
      const config = loadConfig({}, { dataDir: "/nonexistent-hearth-test" });
      if (!config.ok) throw config.error;
      const store = openSqliteStore({ path: ":memory:" });
      const reports = [
        "children's services inspection - 01 february 2023.pdf",
        "children's services inspection - 11 march 2025.pdf",
        "children's services inspection - 26 november 2024.pdf",
        "children's services inspection - 19 january 2018.pdf",
      ];
      // The whole dev2 set, as its README says to run it: the other reports and guidance are the distractors.
      await ingestPaths([corpus("dev2/docs")], { store, config: config.value });
      const searcher = withDocumentIdentity(createSearcher(store), store);
      const cases: [string, string, string][] = [
        ["blackpool ILACS what needs to improve", reports[0] ?? "", "Blackpool"],
        ["sunderland ILACS what needs to improve", reports[1] ?? "", "Sunderland"],
        ["cumberland ILACS what needs to improve", reports[2] ?? "", "Cumberland"],
        ["norfolk children's services inspection judgements", reports[3] ?? "", "Norfolk"],
      ];
      const documents = await store.documents.list();
      for (const [query, file, council] of cases) {
        const results = await searcher.search(query, { limit: 5 });
        // Every result is from a document about that council (its ILACS report, or Blackpool's area SEND report).
        for (const result of results) {
          const document = documents.find((candidate) => candidate.id === result.documentId);
          if (!document) throw new Error("result without a document");
          expect((await describeDocumentIdentity(store, document)).about, `${query}: ${result.fileName}`).toBe(council);
        }
        expect(results.slice(0, 3).some((result) => result.fileName === file), query).toBe(true);
      }
      await store.close();
    },
    300_000,
  );
});
