/**
 * A small library ranked in this process (postgres-rank-here.ts) must give what the ranking statement gives: the
 * same passages, in the same order, with the same scores to the last bit; and what it keeps of a passage must
 * never outlive the library state it was read at.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { sampleDocument } from "../test-fixtures/sample-documents.ts";
import type { Store, TextQuery } from "../types.ts";
import { openPostgresStore } from "./postgres-store.ts";

function document(name: string, paragraphs: string[]) {
  return sampleDocument(`/library/${name}.md`, { format: "markdown", paged: false, paragraphsPerPage: 3, text: paragraphs.join("\n\n") });
}

const strategy = document("sufficiency strategy", [
  "# Looked after children",
  "Looked after children placed out of area: looked after children in residential care, and looked after children in foster care.",
  "The council places children in children's homes out of area when no local home can meet their needs.",
  "# Residential care",
  "Residential care for looked after children costs more each year; residential care places are few.",
  "Foster care is the first choice for most children; residential care for children with complex needs.",
  "# Sufficiency duty",
  "The sufficiency duty: the local authority must secure sufficient accommodation for looked after children.",
  "Care leavers looked after until 18 move on to supported accommodation.",
]);
const report = document("inspection report", [
  "# Children's homes",
  "Inspectors judge the quality of care in children's homes: children feel safe, and children's homes staff know them well.",
  "Out of area placements are reviewed; children placed out of area keep in touch with family.",
  "# Leadership",
  "Leaders of the children's home know the residential care market and the council's sufficiency duty.",
  "Foster care and residential care are both commissioned by the council.",
]);
const minutes = document("panel minutes", [
  "# Placements panel",
  "The panel reviewed placements out of area and the cost of residential care.",
  "Children looked after by the council: the panel asked about care leavers and supported accommodation.",
]);

const termSets: TextQuery["terms"][] = [
  [{ phrase: ["children"], weight: 1 }],
  [{ phrase: ["looked", "after"], weight: 1 }, { phrase: ["children"], weight: 1 }],
  [{ phrase: ["looked", "after", "children"], weight: 1 }, { phrase: ["out", "of", "area"], weight: 1 }, { phrase: ["residential"], weight: 1 }],
  [{ phrase: ["residential", "care"], weight: 1 }, { phrase: ["foster", "care"], weight: 1 }, { phrase: ["care"], weight: 1 }],
  [{ phrase: ["sufficiency", "duty"], weight: 1 }, { phrase: ["council"], weight: 1 }, { phrase: ["accommodation"], weight: 1 }],
  [{ phrase: ["children's", "homes"], weight: 1 }, { phrase: ["inspectors"], weight: 1 }, { phrase: ["zebra"], weight: 1 }],
  [{ phrase: ["care", "leavers"], weight: 1 }, { phrase: ["supported", "accommodation"], weight: 1 }, { phrase: ["panel"], weight: 1 }],
];

const ranked = (hits: { chunkId: number; score: number }[]): [number, number][] => hits.map((hit) => [hit.chunkId, hit.score]);

describe.skipIf(withoutPostgres())("PostgreSQL ranking in this process", () => {
  let database: TestDatabase;
  let here: Store;
  let statement: Store;
  let client: pg.Client;
  const places: string[] = [];
  const statementPlaces: string[] = [];
  const documentIds: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    here = await openPostgresStore({ url: database.url, workspaceId: "rank-here" }, { rankHere: { from: 0 }, onRanked: (where) => places.push(where) });
    statement = await openPostgresStore({ url: database.url, workspaceId: "rank-here" }, { rankHere: { upTo: 0 }, onRanked: (where) => statementPlaces.push(where) });
    for (const sample of [strategy, report, minutes]) documentIds.push((await here.documents.replace(sample.document, sample.units, sample.chunks)).id);
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await here?.close();
    await statement?.close();
    await database?.drop();
  });

  it("ranks as the ranking statement does: the same passages, order and scores", async () => {
    let compared = 0;
    for (const terms of termSets) {
      for (const documents of [undefined, [documentIds[0]!], [documentIds[1]!, documentIds[2]!]]) {
        for (const limit of [1, 3, 10, 1_000]) {
          const query: TextQuery = { terms, limit, ...(documents ? { documentIds: documents } : {}) };
          const expected = await statement.passages.searchText(query);
          const actual = await here.passages.searchText(query);
          expect(ranked(actual), JSON.stringify(query)).toEqual(ranked(expected));
          // The whole passage, not only its id: text, labels and document.
          expect(actual, JSON.stringify(query)).toEqual(expected);
          compared += expected.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
    expect(places.length).toBeGreaterThan(0);
    expect(places.every((where) => where === "process")).toBe(true);
    expect(statementPlaces.length).toBeGreaterThan(0);
    expect(statementPlaces.every((where) => where === "statement")).toBe(true);
  });

  it("finds what a write changed: passages added and removed, and passages read at an older library state", async () => {
    const terms: TextQuery["terms"] = [{ phrase: ["residential", "care"], weight: 1 }, { phrase: ["council"], weight: 1 }];
    const before = await here.passages.searchText({ terms, limit: 100 });
    expect(before.some((hit) => hit.documentId === documentIds[2])).toBe(true);

    // A document removed and another added: the second search holds neither the removed passages nor a stale one.
    expect(await here.documents.remove(documentIds[2]!)).toBe(true);
    const added = document("commissioning plan", ["# Residential care", "The council will commission residential care near home: residential care in the county."]);
    const addedId = (await here.documents.replace(added.document, added.units, added.chunks)).id;
    const after = await here.passages.searchText({ terms, limit: 100 });
    expect(after.some((hit) => hit.documentId === documentIds[2])).toBe(false);
    expect(after.some((hit) => hit.documentId === addedId)).toBe(true);
    expect(ranked(after)).toEqual(ranked(await statement.passages.searchText({ terms, limit: 100 })));

    // A passage's row rewritten under its id (as ids handed out again after a restore would be), with the passage
    // generation moved as every write moves it: what was kept of it at the older state is not used.
    const target = after.find((hit) => hit.documentId === addedId)!;
    await client.query(
      `UPDATE library_chunks SET text = 'Residential care rewritten.' WHERE workspace_id = 'rank-here' AND id = $1`,
      [target.chunkId],
    );
    await client.query("UPDATE library_statistics SET passage_generation = passage_generation + 1 WHERE workspace_id = 'rank-here'");
    const rewritten = (await here.passages.searchText({ terms, limit: 100 })).find((hit) => hit.chunkId === target.chunkId);
    expect(rewritten?.text).toBe("Residential care rewritten.");
  });

  it("ranks in process only once a store has ranked `from` times, and only while what it keeps fits", async () => {
    const terms: TextQuery["terms"] = [{ phrase: ["children"], weight: 1 }, { phrase: ["care"], weight: 1 }];
    const where: string[] = [];
    const expected = ranked(await statement.passages.searchText({ terms, limit: 100 }));
    const warming = await openPostgresStore({ url: database.url, workspaceId: "rank-here" }, { rankHere: { from: 2 }, onRanked: (place) => where.push(place) });
    try {
      for (let search = 0; search < 4; search++) expect(ranked(await warming.passages.searchText({ terms, limit: 100 }))).toEqual(expected);
      expect(where).toEqual(["statement", "statement", "process", "process"]);
    } finally {
      await warming.close();
    }

    // Room for fewer characters than the passages matched: the search that reads them is scored from them, the next
    // ones by the statement, until a write moves the library on.
    where.length = 0;
    const small = await openPostgresStore({ url: database.url, workspaceId: "rank-here" }, { rankHere: { from: 0, characters: 200 }, onRanked: (place) => where.push(place) });
    try {
      for (let search = 0; search < 3; search++) expect(ranked(await small.passages.searchText({ terms, limit: 100 }))).toEqual(expected);
      expect(where).toEqual(["process", "statement", "statement"]);
      const note = document("note", ["Children in care: a note."]);
      await small.documents.replace(note.document, note.units, note.chunks);
      const afterWrite = ranked(await statement.passages.searchText({ terms, limit: 100 }));
      expect(ranked(await small.passages.searchText({ terms, limit: 100 }))).toEqual(afterWrite);
      expect(where.at(-1)).toBe("process");
    } finally {
      await small.close();
    }
  });
});
