/**
 * A large PostgreSQL library's search (postgres-champion-search.ts), on a small library with the size thresholds
 * lowered (championFrom 0): candidates from plain-lexeme GIN lookups (no recheck), common phrases through champion
 * lists kept per library state, every candidate scored exactly. With a candidate budget covering every phrase it must
 * rank exactly as the full ranking does; with a small one, common phrases come from their champion lists.
 */
import { describe, expect, it } from "vitest";
import { withoutCorpus } from "../../../test/support/corpus.ts";
import { withoutPostgres } from "../../../test/support/postgres.ts";
import { useSampleLibraryDatabase } from "../../../test/support/postgres-sample-library.ts";
import { sampleDocument } from "../test-fixtures/sample-documents.ts";
import type { Store, TextQuery } from "../types.ts";
import { championSearchSettings, phraseFrequency, vectorPositions } from "./postgres-champion-search.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { postgresTextSearchSettings } from "./postgres-text-search.ts";

const workspaceId = "champions";

const queries: TextQuery["terms"][] = [
  [{ phrase: ["Somerset"], weight: 1 }, { phrase: ["children"], weight: 1 }, { phrase: ["in", "care"], weight: 1 }, { phrase: ["Devon"], weight: 1 }],
  [{ phrase: ["weekly"], weight: 1 }, { phrase: ["cost"], weight: 1 }, { phrase: ["residential"], weight: 1 }, { phrase: ["children's", "homes"], weight: 1 }],
  [{ phrase: ["looked", "after"], weight: 1 }, { phrase: ["children"], weight: 1 }, { phrase: ["placed"], weight: 1 }, { phrase: ["out", "of", "area"], weight: 1 }],
  [{ phrase: ["the", "local", "authority"], weight: 1 }, { phrase: ["sufficiency"], weight: 1 }, { phrase: ["duty"], weight: 1 }],
];

const exactSettings = { ...postgresTextSearchSettings, phraseCountCap: 1_000_000 };
const largeSettings = { ...exactSettings, championFrom: 0, championSize: 400, fillShare: 0.1 };

describe.skipIf(withoutPostgres() || withoutCorpus())("PostgreSQL search of a large library (champion lists)", () => {
  const sample = useSampleLibraryDatabase(workspaceId);

  const open = (settings: typeof largeSettings, rareCandidates: number, plans?: string[]): Promise<Store> =>
    openPostgresStore(
      { url: sample.database.url, workspaceId },
      { textSearch: settings, championSearch: { ...championSearchSettings, rareCandidates, fillCandidates: 200 }, onSearchPlan: (plan) => plans?.push(plan) },
    );

  it("finds a phrase's candidates as the AND of its words, which GIN answers without a recheck", async () => {
    const plan = async (query: string): Promise<string> => {
      await sample.client.query("SET enable_seqscan = off");
      const rows = await sample.client.query<{ "QUERY PLAN": string }>(
        // No workspace condition here (one workspace in this database): the full-text index is then the only one
        // the planner can use, whatever its statistics say of this small table.
        `EXPLAIN (ANALYZE, COSTS OFF) SELECT c.id FROM library_chunks c WHERE c.terms @@ ${sample.client.escapeLiteral(query)}::tsquery`,
      );
      return rows.rows.map((row) => row["QUERY PLAN"]).join("\n");
    };
    // The phrase: every passage holding both words is read again to test their positions.
    const phrase = await plan("'home' <-> 'children'");
    expect(phrase, phrase).toMatch(/Rows Removed by Index Recheck: [1-9]/);
    // Its words' AND (what the large-library search asks GIN): exact from the index alone.
    expect(await plan("'home' & 'children'")).not.toMatch(/Rows Removed by Index Recheck/);
  });

  it("counts a phrase's hits from a tsvector's text form as the SQL function counts them from its positions", async () => {
    let compared = 0;
    for (const phrase of [["look", "after"], ["children", "s", "home"], ["the", "council"], ["care", "care"], ["nottinghamshir"]]) {
      const rows = await sample.client.query<{ terms: string; expected: number }>(
        `SELECT c.terms::text AS terms, hearth_phrase_frequency(c.terms, $1::text[], 0.4) AS expected FROM library_chunks c
          WHERE c.workspace_id = $2 AND c.terms @@ $3::tsquery`,
        [phrase, workspaceId, phrase.map((stem) => `'${stem}'`).join(" & ")],
      );
      for (const row of rows.rows) {
        expect(phraseFrequency(vectorPositions(row.terms, new Set(phrase)), phrase)).toBeCloseTo(Number(row.expected), 9);
        compared += Number(row.expected) > 0 ? 1 : 0;
      }
    }
    expect(compared).toBeGreaterThan(20);
    // Quotes and backslashes inside a lexeme are escaped in the text form.
    const odd = await sample.client.query<{ terms: string }>(`SELECT $1::tsvector::text AS terms`, ["'it''s':1A 'a\\\\b':2A,7B 'x':3"]);
    expect(vectorPositions(odd.rows[0]!.terms, new Set(["it's", "a\\b", "x"]))).toEqual(
      new Map([
        ["it's", { positions: [1], inText: [true] }],
        ["a\\b", { positions: [2, 7], inText: [true, false] }],
        ["x", { positions: [3], inText: [false] }],
      ]),
    );
  });

  it("ranks exactly as the full ranking does when every phrase fits the candidate budget", async () => {
    const exact = await open(exactSettings as typeof largeSettings, 1_000_000);
    const plans: string[] = [];
    const large = await open(largeSettings, 1_000_000, plans);
    try {
      let compared = 0;
      for (const terms of queries) {
        for (const limit of [5, 40]) {
          const expected = await exact.passages.searchText({ terms, limit });
          const actual = await large.passages.searchText({ terms, limit });
          expect(actual.map((hit) => hit.chunkId)).toEqual(expected.map((hit) => hit.chunkId));
          expected.forEach((hit, index) => expect(actual[index]!.score).toBeCloseTo(hit.score, 9));
          compared += expected.length;
        }
      }
      expect(compared).toBeGreaterThan(100);
      expect(plans.every((plan) => plan === "champions")).toBe(true);
    } finally {
      await exact.close();
      await large.close();
    }
  });

  it("takes common phrases from champion lists: each its own best passages, kept with its count", async () => {
    const exact = await open(exactSettings as typeof largeSettings, 1_000_000);
    const large = await open({ ...largeSettings, championSize: 10 }, 5);
    try {
      const terms = queries[2]!;
      const hits = await large.passages.searchText({ terms, limit: 10 });
      expect(hits.length).toBe(10);
      const kept = await sample.client.query<{ phrase: string; passages: number; chunk_ids: string[] }>(
        "SELECT phrase, passages, chunk_ids FROM library_phrase_champions WHERE workspace_id = $1 ORDER BY phrase",
        [workspaceId],
      );
      const byPhrase = new Map(kept.rows.map((row) => [row.phrase, row]));
      expect(byPhrase.has("look after")).toBe(true);
      expect(byPhrase.has("children")).toBe(true);
      // A list is the phrase's own exact top 10, and its count the phrase's passages.
      for (const [phrase, words] of [["look after", ["looked", "after"]], ["children", ["children"]]] as const) {
        const own = await exact.passages.searchText({ terms: [{ phrase: [...words], weight: 1 }], limit: 10 });
        expect(byPhrase.get(phrase)!.chunk_ids.map(Number)).toEqual(own.map((hit) => hit.chunkId));
        expect(byPhrase.get(phrase)!.passages).toBe((await exact.passages.documentFrequencies([words.join(" ")])).get(words.join(" ")));
      }
      // Every hit is scored exactly on every phrase, as the full ranking scores it.
      const full = new Map((await exact.passages.searchText({ terms, limit: 1_000 })).map((hit) => [hit.chunkId, hit.score]));
      for (const hit of hits) expect(hit.score).toBeCloseTo(full.get(hit.chunkId)!, 9);
    } finally {
      await exact.close();
      await large.close();
    }
  });

  it("finds a restricted search's hits in documents too large to read whole though no champion lies in them", async () => {
    const exact = await open(exactSettings as typeof largeSettings, 1_000_000);
    // Every phrase common (no rare budget), one champion per phrase, no document read whole.
    const large = await openPostgresStore(
      { url: sample.database.url, workspaceId },
      { textSearch: { ...largeSettings, championSize: 1 }, championSearch: { ...championSearchSettings, rareCandidates: 0, fillCandidates: 200, scanDocumentsUpTo: 0 } },
    );
    try {
      const terms: TextQuery["terms"] = [{ phrase: ["children"], weight: 1 }];
      const [champion] = await exact.passages.searchText({ terms, limit: 1 });
      const others = (await exact.documents.list()).filter((document) => document.id !== champion!.documentId);
      let checked = 0;
      for (const document of others) {
        const expected = await exact.passages.searchText({ terms, limit: 5, documentIds: [document.id] });
        if (expected.length === 0) continue;
        const actual = await large.passages.searchText({ terms, limit: 5, documentIds: [document.id] });
        expect(actual.map((hit) => hit.chunkId)).toEqual(expected.map((hit) => hit.chunkId));
        checked += 1;
      }
      expect(checked).toBeGreaterThan(0);
    } finally {
      await exact.close();
      await large.close();
    }
  });

  it("keeps a champion list while the library grows by less than the stale share, and rebuilds it past that", async () => {
    const large = await open({ ...largeSettings, championSize: 10, championStaleShare: 0.05 }, 5);
    const terms = queries[2]!;
    const listOf = async (): Promise<{ generation: string; library_passages: string }> =>
      (
        await sample.client.query<{ generation: string; library_passages: string }>(
          "SELECT generation, library_passages FROM library_phrase_champions WHERE workspace_id = $1 AND phrase = 'look after'",
          [workspaceId],
        )
      ).rows[0]!;
    try {
      await large.passages.searchText({ terms, limit: 10 });
      const before = await listOf();
      const small = sampleDocument("/library/note.txt", { format: "text", paged: true, text: "Children looked after by the council." });
      await large.documents.replace(small.document, small.units, small.chunks);
      await large.passages.searchText({ terms, limit: 10 });
      expect(await listOf()).toEqual(before);
      const passages = Number(before.library_passages);
      const many = Array.from({ length: Math.ceil(passages * 0.1) }, (_, index) => `Placement ${index} of children looked after out of area.`);
      const grown = sampleDocument("/library/grown.txt", { format: "text", paged: true, paragraphsPerPage: 1, text: many.join("\n\n") });
      await large.documents.replace(grown.document, grown.units, grown.chunks);
      await large.passages.searchText({ terms, limit: 10 });
      const after = await listOf();
      expect(Number(after.library_passages)).toBeGreaterThan(passages);
      expect(Number(after.generation)).toBeGreaterThan(Number(before.generation));
    } finally {
      await large.close();
    }
  });
});
