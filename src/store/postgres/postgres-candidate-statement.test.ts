/**
 * A large PostgreSQL library's search finds and reads its candidates in one statement (postgres-champion-search.ts,
 * `candidateStatement`): the rare phrases' passages through GIN, the champion fill by id, a restricted search's own
 * passages, each once with its group; only the searched documents' rows read; a passage's tsvector text only where a
 * phrase may need counting from positions. A warm search is then three round trips: the counts (with the kept
 * champion lists beside them), that statement, and the passages' text.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { sampleDocument } from "../test-fixtures/sample-documents.ts";
import type { Store, TextQuery } from "../types.ts";
import { candidateStatement, championSearchSettings, wordsQuery } from "./postgres-champion-search.ts";
import { acquirePostgresPool, releasePostgresPool } from "./postgres-connection.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { postgresTextSearchSettings } from "./postgres-text-search.ts";
import { WorkspaceQueries } from "./workspace-queries.ts";

const workspaceId = "candidates";

/** Two documents of 40 passages each: a rare word in a few, common words everywhere, a phrase repeated in some. */
function texts(place: string): string {
  return Array.from({ length: 40 }, (_, index) => {
    const rare = index % 13 === 0 ? ` ${place} kinship panel` : "";
    const repeated = index % 3 === 0 ? "children looked after and children looked after again" : "children looked after";
    return `The council reviews placements and costs each year${rare}. ${repeated} in ${place} care ${index}.`;
  }).join("\n\n");
}

interface Row {
  grp: number;
  id: string;
  document_id: string;
  counts: number[];
  found: boolean[] | null;
  vector: string | null;
}

describe.skipIf(withoutPostgres())("PostgreSQL large-library search: one statement finds and reads the candidates", () => {
  let database: TestDatabase;
  let queries: WorkspaceQueries;
  const documentIds: number[] = [];
  const passagesOf = new Map<number, number[]>();

  beforeAll(async () => {
    database = await createTestDatabase();
    const store = await openPostgresStore({ url: database.url, workspaceId });
    for (const place of ["Leeds", "Bristol"]) {
      const sample = sampleDocument(`/library/${place}.txt`, { format: "text", paged: true, text: texts(place) });
      await store.documents.replace(sample.document, sample.units, sample.chunks);
    }
    await store.close();
    const pool = await acquirePostgresPool(database.url);
    queries = new WorkspaceQueries(pool, workspaceId);
    const rows = await queries.query<{ id: string; document_id: string }>("SELECT id, document_id FROM library_chunks WHERE workspace_id = $1 ORDER BY id");
    for (const row of rows.rows) {
      const documentId = Number(row.document_id);
      if (!passagesOf.has(documentId)) {
        documentIds.push(documentId);
        passagesOf.set(documentId, []);
      }
      passagesOf.get(documentId)!.push(Number(row.id));
    }
  });
  afterAll(async () => {
    if (database !== undefined) await releasePostgresPool(database.url);
    await database?.drop();
  });

  const run = async (...args: Parameters<typeof candidateStatement>): Promise<Row[]> => {
    const statement = candidateStatement(...args);
    return (await queries.query<Row>(statement.sql, statement.params)).rows;
  };

  it("finds the rare side through the index, then the first given ids not found, each once with its group", async () => {
    const [leeds, bristol] = documentIds as [number, number];
    const rare = await queries.query<{ id: string }>("SELECT id FROM library_chunks WHERE workspace_id = $1 AND terms @@ 'kinship'::tsquery ORDER BY id");
    const rareIds = rare.rows.map((row) => Number(row.id));
    expect(rareIds.length).toBeGreaterThan(2);
    // Given in rank order: a rare passage first (found already: skipped), then others; only the first 5 not found.
    const given = [rareIds[0]!, ...passagesOf.get(bristol)!.slice(1, 10), ...passagesOf.get(leeds)!.slice(1, 3)];
    const rows = await run({ found: { query: wordsQuery(["kinship"]), documents: null, scan: false }, given: { ids: given, limit: 5 }, documents: null }, ["kinship", "council"], []);
    const found = rows.filter((row) => row.grp === 0).map((row) => Number(row.id)).sort((left, right) => left - right);
    const rest = rows.filter((row) => row.grp === 1).map((row) => Number(row.id)).sort((left, right) => left - right);
    expect(found).toEqual(rareIds);
    expect(rest).toEqual(given.filter((id) => !rareIds.includes(id)).slice(0, 5).sort((left, right) => left - right));
    // Each stem's count in the text and the context, per candidate.
    for (const row of rows) expect(row.counts[2]).toBe(1);
  });

  it("reads only the searched documents' rows, and their own passages not found or given, up to the limit", async () => {
    const [leeds, bristol] = documentIds as [number, number];
    const given = [...passagesOf.get(bristol)!.slice(0, 10), ...passagesOf.get(leeds)!.slice(0, 4)];
    const rows = await run(
      {
        found: { query: wordsQuery(["kinship"]), documents: [leeds], scan: false },
        given: { ids: given, limit: 14 },
        own: { documents: [leeds], query: wordsQuery(["look", "after"]), limit: 6 },
        documents: [leeds],
      },
      ["kinship", "look", "after"],
      [["look", "after"]],
    );
    expect(rows.every((row) => Number(row.document_id) === leeds)).toBe(true);
    const ids = rows.map((row) => Number(row.id));
    expect(new Set(ids).size).toBe(ids.length);
    const rareInLeeds = rows.filter((row) => row.grp === 0);
    expect(rareInLeeds.length).toBe(passagesOf.get(leeds)!.filter((_, index) => index % 13 === 0).length);
    // The given Leeds passages (less any found), then six more of Leeds' own.
    const givenInLeeds = passagesOf.get(leeds)!.slice(0, 4).filter((id) => !rareInLeeds.some((row) => Number(row.id) === id));
    expect(rows.filter((row) => row.grp === 1).length).toBe(givenInLeeds.length + 6);
  });

  it("returns a passage's tsvector text only where a phrase occurs and its rarest word more than once", async () => {
    const all = documentIds.flatMap((id) => passagesOf.get(id)!);
    const rows = await run({ given: { ids: all, limit: all.length }, documents: null }, ["children", "look", "after", "council"], [["children", "look", "after"]]);
    expect(rows.length).toBe(all.length);
    let withVector = 0;
    for (const row of rows) {
      const inText = row.found?.[0] === true;
      const least = Math.min(row.counts[0]!, row.counts[2]!, row.counts[4]!);
      expect(row.vector !== null, `passage ${row.id}`).toBe(inText && least > 1);
      if (row.vector !== null) {
        expect(row.vector).toContain("'children':");
        withVector += 1;
      }
    }
    expect(withVector).toBeGreaterThan(5);
    expect(withVector).toBeLessThan(all.length);
  });

  it("answers a warm search, restricted or not, in three round trips", async () => {
    const large = { ...postgresTextSearchSettings, championFrom: 0, championSize: 20 };
    const store: Store = await openPostgresStore(
      { url: database.url, workspaceId },
      { textSearch: large, championSearch: { ...championSearchSettings, rareCandidates: 10, scanDocumentsUpTo: 0 } },
    );
    const terms: TextQuery["terms"] = [{ phrase: ["kinship"], weight: 1 }, { phrase: ["looked", "after"], weight: 1 }, { phrase: ["council"], weight: 1 }];
    const spy = vi.spyOn(pg.Client.prototype, "query");
    try {
      for (const documentIdsOf of [undefined, [documentIds[0]!]]) {
        const query: TextQuery = { terms, limit: 5, ...(documentIdsOf === undefined ? {} : { documentIds: documentIdsOf }) };
        const cold = await store.passages.searchText(query);
        expect(cold.length).toBe(5);
        spy.mockClear();
        const warm = await store.passages.searchText(query);
        expect(warm.map((hit) => hit.chunkId)).toEqual(cold.map((hit) => hit.chunkId));
        expect(spy.mock.calls.map((call) => String((call[0] as { text?: string }).text ?? call[0]).slice(0, 40))).toHaveLength(3);
        if (documentIdsOf !== undefined) expect(warm.every((hit) => hit.documentId === documentIdsOf[0])).toBe(true);
      }
    } finally {
      spy.mockRestore();
      await store.close();
    }
  });
});
