/**
 * The large-library scorer reads a phrase's positions only where they can change a group's top (postgres-champion-
 * search.ts, `score` with `exactTop`), and finds a plain lexeme's positions in a tsvector's text form by a string
 * search. Both must give what the full reading gives: the same top `limit` with the same scores, the same positions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { sampleDocument } from "../test-fixtures/sample-documents.ts";
import { ChampionSearch, vectorPositions, type LibraryState } from "./postgres-champion-search.ts";
import { acquirePostgresPool, releasePostgresPool } from "./postgres-connection.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { WorkspaceQueries } from "./workspace-queries.ts";

const workspaceId = "bounds";

describe("a plain lexeme's positions in a tsvector's text form", () => {
  it("finds the lexeme only where it starts a lexeme, not inside or at the end of another", () => {
    const vector = "'a''s':1A 'as':2A 's':3A,9B 'sa':4 'x''s''':5A";
    expect(vectorPositions(vector, new Set(["s"]))).toEqual(new Map([["s", { positions: [3, 9], inText: [true, false] }]]));
    expect(vectorPositions(vector, new Set(["as", "sa"]))).toEqual(
      new Map([
        ["as", { positions: [2], inText: [true] }],
        ["sa", { positions: [4], inText: [false] }],
      ]),
    );
    expect(vectorPositions("'s':7A", new Set(["s", "t"]))).toEqual(new Map([["s", { positions: [7], inText: [true] }]]));
    expect(vectorPositions("'b':1A", new Set(["s"]))).toEqual(new Map());
  });
});

describe.skipIf(withoutPostgres())("PostgreSQL large-library scoring: positions read only where they can change the top", () => {
  let database: TestDatabase;
  let queries: WorkspaceQueries;
  let state: LibraryState;
  const chunkIds: number[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const store = await openPostgresStore({ url: database.url, workspaceId });
    // Passages saying "looked after" once or several times, among other words, at varied lengths: a phrase whose
    // words repeat in a passage has its hits bounded, not known, until its positions are read.
    const texts = Array.from({ length: 60 }, (_, index) => {
      const repeats = index % 4;
      const filler = "the council reviews placements and costs each year ".repeat(1 + (index % 5));
      const phrase = repeats === 0 ? "looked at after" : "children looked after ".repeat(repeats);
      return `${filler} ${phrase} after looked ${index % 3 === 0 ? "looked" : ""} in care`;
    });
    const sample = sampleDocument("/library/bounds.txt", { format: "text", paged: true, text: texts.join("\n\n") });
    await store.documents.replace(sample.document, sample.units, sample.chunks);
    await store.close();
    const pool = await acquirePostgresPool(database.url);
    queries = new WorkspaceQueries(pool, workspaceId);
    const ids = await queries.query<{ id: string }>("SELECT id FROM library_chunks WHERE workspace_id = $1 ORDER BY id");
    chunkIds.push(...ids.rows.map((row) => Number(row.id)));
    const totals = await queries.query<{ chunk_count: string; indexed_tokens: string }>(
      "SELECT chunk_count, indexed_tokens FROM library_statistics WHERE workspace_id = $1",
    );
    state = { chunkCount: Number(totals.rows[0]!.chunk_count), indexedTokens: Number(totals.rows[0]!.indexed_tokens), generation: 1 };
  });
  afterAll(async () => {
    if (database !== undefined) await releasePostgresPool(database.url);
    await database?.drop();
  });

  it("gives each group's top the exact scores, and leaves hopeless candidates at their lower bound", async () => {
    const search = new ChampionSearch(queries);
    const phrases = [["look", "after"], ["care"], ["children", "look", "after"]];
    const idfs = [1.5, 0.3, 2.0];
    expect(chunkIds.length).toBeGreaterThan(40);
    const groups = [chunkIds.slice(0, 30), chunkIds.slice(30)];
    const exact = await search.score(chunkIds, phrases, idfs, state);
    let bounded = 0;
    for (const limit of [1, 3, 5]) {
      const scored = await search.score(chunkIds, phrases, idfs, state, { groups, limit, keep: () => true });
      for (const group of groups) {
        const top = (scores: Map<number, { score: number }>): [number, number][] =>
          group
            .flatMap((id) => (scores.has(id) ? [[id, scores.get(id)!.score] as [number, number]] : []))
            .sort((left, right) => right[1] - left[1] || left[0] - right[0])
            .slice(0, limit);
        const expected = top(exact);
        const actual = top(scored);
        expect(actual.map(([id]) => id)).toEqual(expected.map(([id]) => id));
        expected.forEach(([, score], index) => expect(actual[index]![1]).toBeCloseTo(score, 9));
      }
      // Some candidate outside the tops kept its lower bound (its positions were not read); none scored above exact.
      for (const [id, { score }] of scored) {
        expect(score).toBeLessThanOrEqual(exact.get(id)!.score + 1e-9);
        if (score < exact.get(id)!.score - 1e-9) bounded += 1;
      }
    }
    expect(bounded).toBeGreaterThan(0);
  });
});
