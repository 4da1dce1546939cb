/**
 * Past the posting budget both stores narrow a query the same way (src/store/text-search.json: the rarest phrases
 * OR-ed, a fill of the commoner ones AND-ed, merged), so they must still agree: the same top k, the same scores. The
 * library here is small, so the settings are scaled down to make it narrow (narrowFrom 0, budgets of tens of
 * passages); phrase counts are exact on both sides (a cap above the library).
 */
import Database from "better-sqlite3";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withoutCorpus } from "../../../test/support/corpus.ts";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { corpusPath } from "../../loaders/loader-contract.ts";
import { databaseFileName, openSqliteStore, tokenize } from "../sqlite-store.ts";
import { createSqliteTextSearch, textSearchSettings, type TextSearchSettings } from "../sqlite-text-search.ts";
import { cambridgeshire, nottinghamshireExcerpt, somerset } from "../store-contract.ts";
import { sampleDocument } from "../test-fixtures/sample-documents.ts";
import type { Store, TextQuery } from "../types.ts";
import { openPostgresStore } from "./postgres-store.ts";

const questions = [
  "How many Somerset children in care live in Devon?",
  "What is Cambridgeshire's weekly cost for in-house residential children's homes?",
  "How do inspectors judge the quality of care and the protection of children in children's homes?",
  "Which looked after children are placed out of area by the local authority?",
];

function queriesFor(question: string): TextQuery["terms"][] {
  const words = question.split(/\s+/).filter((word) => tokenize(word).length > 0);
  const single = words.map((word) => ({ phrase: [word], weight: 1 }));
  const pairs = words.slice(1).map((word, index) => ({ phrase: [words[index]!, word], weight: 1 }));
  return [single, [...single, ...pairs.slice(0, 4)]];
}

describe.skipIf(withoutPostgres() || withoutCorpus())("PostgreSQL and SQLite agree when a search is narrowed", () => {
  const folder = mkdtempSync(join(tmpdir(), "hearth-narrowed-"));
  let database: TestDatabase;
  let sqlite: Store;
  let sqliteReader: Database.Database;
  /** SQLite chunk id -> "file:ordinal". */
  const sqliteKeys = new Map<number, string>();

  beforeAll(async () => {
    database = await createTestDatabase();
    sqlite = openSqliteStore({ dataDir: folder });
    const postgres = await openPostgresStore({ url: database.url, workspaceId: "narrowed" });
    const sccif = corpusPath("real/Ofsted SCCIF children's homes.txt");
    const samples = [cambridgeshire(), somerset(), nottinghamshireExcerpt(), sampleDocument(sccif, { format: "text", paged: true, text: readFileSync(sccif, "utf8") })];
    for (const sample of samples) {
      await postgres.documents.replace(sample.document, sample.units, sample.chunks);
      await sqlite.documents.replace(sample.document, sample.units, sample.chunks);
    }
    await postgres.close();
    sqliteReader = new Database(join(folder, databaseFileName), { readonly: true });
    const ids = sqliteReader.prepare<[], { id: number }>("SELECT id FROM chunks").all().map((row) => row.id);
    for (const passage of await sqlite.passages.getPassages(ids)) sqliteKeys.set(passage.chunkId, `${passage.fileName}:${passage.ordinal}`);
  });
  afterAll(async () => {
    sqliteReader?.close();
    await sqlite?.close();
    await database?.drop();
    rmSync(folder, { recursive: true, force: true });
  });

  it("takes the same rare phrases and fill, and ranks them alike", async () => {
    const plans: string[] = [];
    let compared = 0;
    for (const [budget, rankRareWithCommon] of [[20, false], [80, false], [300, false], [80, true]] as const) {
      const settings: TextSearchSettings = { ...textSearchSettings, narrowFrom: 0, postingBudget: budget, postingBudgetShare: 0, phraseCountCap: 1_000_000, rankRareWithCommon };
      const reference = createSqliteTextSearch(sqliteReader, settings);
      const passageCount = (await sqlite.passages.statistics()).chunkCount;
      const postgres = await openPostgresStore({ url: database.url, workspaceId: "narrowed" }, { textSearch: settings, onSearchPlan: (plan) => plans.push(plan) });
      try {
        for (const question of questions) {
          for (const terms of queriesFor(question)) {
            for (const limit of [5, 40]) {
              const label = `budget ${budget}${rankRareWithCommon ? " (rare with common)" : ""}, top ${limit}: ${JSON.stringify(terms.map((term) => term.phrase.join(" ")))}`;
              const expected = reference.search({ terms, limit }, passageCount);
              const actual = await postgres.passages.searchText({ terms, limit });
              expect(actual.map((hit) => `${hit.fileName}:${hit.ordinal}`), label).toEqual(expected.map((hit) => sqliteKeys.get(hit.chunkId)));
              expected.forEach((hit, index) => expect(actual[index]!.score, label).toBeCloseTo(hit.score, 6));
              compared += expected.length;
            }
          }
        }
      } finally {
        await postgres.close();
      }
    }
    expect(plans).toContain("narrowed");
    expect(compared).toBeGreaterThan(300);
  });
});
