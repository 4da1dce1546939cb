/**
 * PostgreSQL and SQLite hold the same library and must agree: the same candidates for every query (FTS5's MATCH
 * against the tsquery), the same ranking (FTS5's bm25() against hearth_bm25), and the same document frequencies for
 * every word of the library and for phrases, so the reranker sees the same evidence on either store.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { withoutCorpus } from "../../../test/support/corpus.ts";
import { corpusPath } from "../../loaders/loader-contract.ts";
import { openSqliteStore, tokenize } from "../sqlite-store.ts";
import { cambridgeshire, nottinghamshireExcerpt, somerset } from "../store-contract.ts";
import { sampleDocument, type SampleDocument } from "../test-fixtures/sample-documents.ts";
import type { Store, TextQuery } from "../types.ts";
import { openPostgresStore } from "./postgres-store.ts";

const questions = [
  "What percentage of Nottinghamshire's children are in unrelated foster care?",
  "What is Cambridgeshire's weekly cost for in-house residential children's homes?",
  "How many Somerset children in care live in Devon?",
  "What saving is attributed to providing residential placements with on-site education at the Harbour School?",
  "Who chairs the Cambridgeshire Placements Strategy Sponsor Group?",
  "Which East Midlands project recruited foster carers for asylum seeking children?",
  "How do inspectors judge the quality of care and the protection of children in children's homes?",
];

function queriesFor(question: string): TextQuery["terms"][] {
  const words = question.split(/\s+/).filter((word) => tokenize(word).length > 0);
  const single = words.map((word) => ({ phrase: [word], weight: 1 }));
  const pairs = words.slice(1).map((word, index) => ({ phrase: [words[index]!, word], weight: 1 }));
  return [single, [...single.slice(0, 3), ...pairs.slice(0, 3)], pairs];
}


describe.skipIf(withoutPostgres() || withoutCorpus())("PostgreSQL and SQLite agree on the same library", () => {
  let database: TestDatabase;
  let postgres: Store;
  /** The same library ranked by the ranking statement (`postgres` ranks it in process from its first search). */
  let statement: Store;
  let sqlite: Store;
  let samples: SampleDocument[];
  /** SQLite document id -> PostgreSQL document id, by file name. */
  const documentIds = new Map<number, number>();

  beforeAll(async () => {
    database = await createTestDatabase();
    postgres = await openPostgresStore({ url: database.url, workspaceId: "agreement" }, { rankHere: { from: 0 } });
    statement = await openPostgresStore({ url: database.url, workspaceId: "agreement" }, { rankHere: { upTo: 0 } });
    sqlite = openSqliteStore({ path: ":memory:" });
    const sccif = corpusPath("real/Ofsted SCCIF children's homes.txt");
    samples = [cambridgeshire(), somerset(), nottinghamshireExcerpt(), sampleDocument(sccif, { format: "text", paged: true, text: readFileSync(sccif, "utf8") })];
    for (const sample of samples) {
      const record = (await postgres.documents.replace(sample.document, sample.units, sample.chunks)) as { id: number; fileName: string };
      const local = await sqlite.documents.replace(sample.document, sample.units, sample.chunks);
      documentIds.set(local.id, record.id);
    }
  });
  afterAll(async () => {
    await sqlite?.close();
    await statement?.close();
    await postgres?.close();
    await database?.drop();
  });

  it.each([
    ["ranked in process", () => postgres],
    ["ranked by the statement", () => statement],
  ])("matches the same candidates in the same order with the same BM25 scores (%s)", async (_, store) => {
    let compared = 0;
    for (const question of questions) {
      for (const terms of queriesFor(question)) {
        const expected = await sqlite.passages.searchText({ terms, limit: 100_000 });
        const actual = await store().passages.searchText({ terms, limit: 100_000 });
        const key = (hit: { documentId: number; ordinal: number }) => `${hit.documentId}:${hit.ordinal}`;
        const expectedKeys = expected.map((hit) => key({ ...hit, documentId: documentIds.get(hit.documentId)! }));
        expect(new Set(actual.map(key)), JSON.stringify(terms)).toEqual(new Set(expectedKeys));
        expected.forEach((hit, index) => expect(actual[index]!.score, JSON.stringify(terms)).toBeCloseTo(hit.score, 6));
        // The top ten in the same order (scores equal to the last digits, so ties break alike).
        expect(actual.slice(0, 10).map(key), JSON.stringify(terms)).toEqual(expectedKeys.slice(0, 10));
        compared += expected.length;
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it("answers the same top k when it ranks the rare phrases' passages first", async () => {
    const plans: string[] = [];
    // A tiny budget, so that this small library takes the rare-first plan wherever it is exact.
    const pruning = await openPostgresStore({ url: database.url, workspaceId: "agreement" }, { rareCandidateBudget: 20, onSearchPlan: (plan) => plans.push(plan) });
    try {
      for (const question of questions) {
        for (const terms of queriesFor(question)) {
          for (const limit of [1, 10]) {
            const expected = (await sqlite.passages.searchText({ terms, limit })).map((hit) => `${documentIds.get(hit.documentId)}:${hit.ordinal}`);
            const actual = (await pruning.passages.searchText({ terms, limit })).map((hit) => `${hit.documentId}:${hit.ordinal}`);
            expect(actual, `${JSON.stringify(terms)} top ${limit}`).toEqual(expected);
          }
        }
      }
      expect(plans.filter((plan) => plan === "rare-first").length).toBeGreaterThan(5);
      expect(plans).toContain("full");
    } finally {
      await pruning.close();
    }
  });

  it("counts the same passages for every word of the library and for phrases", async () => {
    const vocabulary = new Set<string>();
    for (const sample of samples) for (const chunk of sample.chunks) for (const token of tokenize(chunk.text)) vocabulary.add(token);
    const phrases = questions.flatMap((question) => {
      const words = question.split(/\s+/);
      return words.slice(1).map((word, index) => `${words[index]!} ${word}`);
    });
    const terms = [...vocabulary, ...phrases, "Cambridgeshire", "Homes and Horizons", "£2,278", "55.2%", "zebra"];
    const expected = await sqlite.passages.documentFrequencies(terms);
    const actual = await postgres.passages.documentFrequencies(terms);
    const differences = terms.filter((term) => expected.get(term) !== actual.get(term)).map((term) => `${term}: ${expected.get(term)} / ${actual.get(term)}`);
    expect(differences).toEqual([]);
    expect(vocabulary.size).toBeGreaterThan(2_000);
  });
});
