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
import { candidateInputs, candidateStatement, championSearchSettings, listsAsText, numbersOf } from "./postgres-champion-search.ts";
import type { CandidateRow } from "./postgres-champion-search.ts";
import { acquirePostgresPool, releasePostgresPool } from "./postgres-connection.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { phraseQuery, postgresTextSearchSettings } from "./postgres-text-search.ts";
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

type Row = ReturnType<typeof candidateInputs>;

/** The statements a spy on pg's `Client.prototype.query` saw, each with its values. */
function statementsSent(calls: unknown[][]): { text: string; values: unknown[] }[] {
  return calls.map((entry) => {
    const [first, second] = entry as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
    return typeof first === "string" ? { text: first, values: second ?? [] } : { text: first.text, values: first.values ?? [] };
  });
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

  it("reads a champion list's numbers from its text form exactly as pg reads them from the arrays", async () => {
    const lists = [
      { ids: [17, 4, 9, 123_456_789_012], strengths: [0.1 + 0.2, 1 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123_456.789, 0, 1e-5] },
      { ids: [], strengths: [] },
    ];
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const list of lists) {
        const row = (
          await client.query<{ chunk_ids: string; strengths: string; id_array: string[]; strength_array: number[] }>(
            `SELECT ${listsAsText("$1::bigint[]", "$2::float8[]")}, $1::bigint[] AS id_array, $2::float8[] AS strength_array`,
            [list.ids, list.strengths],
          )
        ).rows[0]!;
        expect(numbersOf(row.chunk_ids)).toEqual(row.id_array.map(Number));
        expect(numbersOf(row.strengths)).toEqual(row.strength_array.map(Number));
        expect(numbersOf(row.strengths)).toEqual(list.strengths);
      }
    } finally {
      await client.end();
    }
  });

  const run = async (...args: Parameters<typeof candidateStatement>): Promise<Row[]> => {
    const statement = candidateStatement(...args);
    return (await queries.query<CandidateRow>(statement.sql, statement.params)).rows.map(candidateInputs);
  };

  it("finds the rare side through the index, then the first given ids not found, each once with its group", async () => {
    const [leeds, bristol] = documentIds as [number, number];
    const rare = await queries.query<{ id: string }>("SELECT id FROM library_chunks WHERE workspace_id = $1 AND terms @@ 'kinship'::tsquery ORDER BY id");
    const rareIds = rare.rows.map((row) => Number(row.id));
    expect(rareIds.length).toBeGreaterThan(2);
    // Given in rank order: a rare passage first (found already: skipped), then others; only the first 5 not found.
    const given = [rareIds[0]!, ...passagesOf.get(bristol)!.slice(1, 10), ...passagesOf.get(leeds)!.slice(1, 3)];
    const rows = await run({ found: { phrases: [["kinship"]], documents: null, scan: false }, given: { ids: given, limit: 5 }, documents: null }, ["kinship", "council"], []);
    const found = rows.filter((row) => row.grp === 0).map((row) => Number(row.id)).sort((left, right) => left - right);
    const rest = rows.filter((row) => row.grp === 1).map((row) => Number(row.id)).sort((left, right) => left - right);
    expect(found).toEqual(rareIds);
    expect(rest).toEqual(given.filter((id) => !rareIds.includes(id)).slice(0, 5).sort((left, right) => left - right));
    // Each stem's count in the text and the context, per candidate.
    for (const row of rows) expect(row.counts![2]).toBe(1);
  });

  it("reads only the searched documents' rows, and their own passages not found or given, up to the limit", async () => {
    const [leeds, bristol] = documentIds as [number, number];
    const given = [...passagesOf.get(bristol)!.slice(0, 10), ...passagesOf.get(leeds)!.slice(0, 4)];
    const rows = await run(
      {
        found: { phrases: [["kinship"]], documents: [leeds], scan: false },
        given: { ids: given, limit: 14 },
        own: { documents: [leeds], phrases: [["look", "after"]], limit: 6 },
        documents: [leeds],
      },
      ["kinship", "look", "after"],
      [["look", "after"]],
    );
    // The given Bristol passages come back with their document alone (nothing else of their row read).
    const outside = rows.filter((row) => Number(row.document_id) !== leeds);
    expect(outside.map((row) => Number(row.id)).sort((left, right) => left - right)).toEqual(passagesOf.get(bristol)!.slice(0, 10));
    expect(outside.every((row) => row.counts === null && row.found === null && row.vector === null)).toBe(true);
    rows.splice(0, rows.length, ...rows.filter((row) => Number(row.document_id) === leeds));
    expect(rows.every((row) => row.counts !== null)).toBe(true);
    const ids = rows.map((row) => Number(row.id));
    expect(new Set(ids).size).toBe(ids.length);
    const rareInLeeds = rows.filter((row) => row.grp === 0);
    expect(rareInLeeds.length).toBe(passagesOf.get(leeds)!.filter((_, index) => index % 13 === 0).length);
    // The given Leeds passages (less any found), then six more of Leeds' own.
    const givenInLeeds = passagesOf.get(leeds)!.slice(0, 4).filter((id) => !rareInLeeds.some((row) => Number(row.id) === id));
    expect(rows.filter((row) => row.grp === 1).length).toBe(givenInLeeds.length + 6);
  });

  it("takes the same given passages from a list with those outside the documents left out, by their places", async () => {
    const [leeds, bristol] = documentIds as [number, number];
    const rare = await queries.query<{ id: string }>("SELECT id FROM library_chunks WHERE workspace_id = $1 AND terms @@ 'kinship'::tsquery ORDER BY id");
    const rareInLeeds = rare.rows.map((row) => Number(row.id)).filter((id) => passagesOf.get(leeds)!.includes(id));
    // Interleaved: Bristol, Leeds (some of them found by the rare lookup), Bristol, ...
    const whole = passagesOf.get(leeds)!.flatMap((id, index) => [passagesOf.get(bristol)![index]!, id]);
    const kept = whole.flatMap((id, index) => (passagesOf.get(bristol)!.includes(id) ? [] : [{ id, position: index + 1 }]));
    const found = { phrases: [["kinship"]], documents: [leeds], scan: false };
    for (const limit of [3, 7, 12, 30]) {
      const inLeeds = (rows: Row[]): number[] =>
        rows.filter((row) => Number(row.document_id) === leeds && row.grp === 1).map((row) => Number(row.id)).sort((left, right) => left - right);
      const fromWhole = await run({ found, given: { ids: whole, limit }, documents: [leeds] }, ["kinship", "council"], []);
      const fromKept = await run(
        { found, given: { ids: kept.map((entry) => entry.id), limit, positions: kept.map((entry) => entry.position) }, documents: [leeds] },
        ["kinship", "council"],
        [],
      );
      expect(inLeeds(fromKept), `limit ${limit}`).toEqual(inLeeds(fromWhole));
      expect(inLeeds(fromKept).some((id) => rareInLeeds.includes(id))).toBe(false);
      expect(fromKept.filter((row) => Number(row.document_id) !== leeds)).toEqual([]);
    }
    expect(rareInLeeds.length).toBeGreaterThan(0);
  });

  it("returns a passage's tsvector text only where a phrase occurs and its rarest word more than once", async () => {
    const all = documentIds.flatMap((id) => passagesOf.get(id)!);
    const rows = await run({ given: { ids: all, limit: all.length }, documents: null }, ["children", "look", "after", "council"], [["children", "look", "after"]]);
    expect(rows.length).toBe(all.length);
    let withVector = 0;
    for (const row of rows) {
      const inText = row.found?.[0] === true;
      const least = Math.min(row.counts![0]!, row.counts![2]!, row.counts![4]!);
      expect(row.vector !== null, `passage ${row.id}`).toBe(inText && least > 1);
      if (row.vector !== null) {
        expect(row.vector).toContain("'children':");
        withVector += 1;
      }
    }
    expect(withVector).toBeGreaterThan(5);
    expect(withVector).toBeLessThan(all.length);
  });

  it("tests each phrase in the text and the context as the tsvector itself answers, reading it only where the words are all there", async () => {
    // A workspace of its own, whose file names (each passage's context) are phrases too.
    const store = await openPostgresStore({ url: database.url, workspaceId: "candidates-context" });
    for (const name of ["Kinship panel minutes", "Children looked after panel", "Care leavers report"]) {
      const sample = sampleDocument(`/library/${name}.txt`, { format: "text", paged: true, text: texts(name.split(" ")[0]!) });
      await store.documents.replace(sample.document, sample.units, sample.chunks);
    }
    await store.close();
    const pool = await acquirePostgresPool(database.url);
    try {
      const own = new WorkspaceQueries(pool, "candidates-context");
      const all = (await own.query<{ id: string }>("SELECT id FROM library_chunks WHERE workspace_id = $1 ORDER BY id")).rows.map((row) => Number(row.id));
      // A phrase in a few passages' text, one in many, one only in a file name, one whose words stand together nowhere.
      const longer = [["kinship", "panel"], ["children", "look", "after"], ["care", "leaver"], ["panel", "minut"], ["minut", "kinship"]];
      const statement = candidateStatement({ given: { ids: all, limit: all.length }, documents: null }, [...new Set(longer.flat())], longer);
      const rows = (await own.query<CandidateRow>(statement.sql, statement.params)).rows.map(candidateInputs);
      const expected = await own.query<{ id: string; tests: boolean[] }>(
        `SELECT c.id, ARRAY(SELECT c.terms @@ q FROM unnest($2::tsquery[]) WITH ORDINALITY AS x(q, n) ORDER BY n) AS tests
           FROM library_chunks c WHERE c.workspace_id = $1`,
        [longer.flatMap((phrase) => [phraseQuery(phrase, "A"), phraseQuery(phrase, "B")])],
      );
      const byId = new Map(expected.rows.map((row) => [Number(row.id), row.tests]));
      expect(rows.length).toBe(all.length);
      const passed = new Set<number>();
      for (const row of rows) {
        expect(row.found, `passage ${row.id}`).toEqual(byId.get(Number(row.id)));
        row.found!.forEach((test, index) => test && passed.add(index));
      }
      // Tests that pass somewhere, in the text (even places) and in the context (odd), and one that passes nowhere.
      expect([...passed].sort((left, right) => left - right)).toEqual([0, 1, 2, 3, 5, 7]);
    } finally {
      await releasePostgresPool(database.url);
    }
  });

  it("reads each candidate's row by its id in a nested loop, whatever the planner estimates", async () => {
    // At 1M passages a restricted search over thousands of documents, its GIN estimate 10,000 rows, was planned as a
    // merge join walking the whole primary key (3.6 s). Here nested loops are made costly for the planner (as a bad
    // estimate makes them look): the candidates' rows must still be read one by one through the primary key.
    const [leeds] = documentIds as [number];
    const statement = candidateStatement(
      {
        found: { phrases: [["council"]], documents: [leeds], scan: false },
        given: { ids: passagesOf.get(leeds)!.slice(0, 10), limit: 10 },
        own: { documents: [leeds], phrases: [["look", "after"]], limit: 6 },
        documents: [leeds],
      },
      ["council", "look", "after"],
      [["look", "after"]],
    );
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_nestloop = off");
      const plan = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN ${statement.sql}`, [workspaceId, ...statement.params]);
      const text = plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
      expect(text).not.toMatch(/(Hash|Merge) Join/u);
      expect(text).toContain("Index Scan using library_chunks_pkey");
      const rows = await client.query<Row>(statement.sql, [workspaceId, ...statement.params]);
      expect(rows.rows.length).toBeGreaterThan(10);
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  });

  it("finds the same candidates, the own passages in the same order, with the documents left out as with those named", async () => {
    const [leeds, bristol] = documentIds as [number, number];
    const source = (documents: number[] | { except: number[] }): Parameters<typeof candidateStatement>[0] => ({
      found: { phrases: [["kinship"]], documents, scan: false },
      own: { documents, phrases: [["look", "after"], ["council"]], limit: 6 },
      documents: [bristol],
    });
    const named = await run(source([bristol]), ["kinship", "council", "look", "after"], [["look", "after"]]);
    const leftOut = await run(source({ except: [leeds] }), ["kinship", "council", "look", "after"], [["look", "after"]]);
    const found = new Set(named.filter((row) => row.grp === 0).map((row) => Number(row.id)));
    expect(found.size).toBeGreaterThan(0);
    // The own passages: the document's first six in order that the rare side did not find.
    expect(named.filter((row) => row.grp === 1).map((row) => Number(row.id))).toEqual(passagesOf.get(bristol)!.filter((id) => !found.has(id)).slice(0, 6));
    expect(leftOut).toEqual(named);
  });

  it("searches a restriction to most of the library through the documents it leaves out, with the same results", async () => {
    const settings = (fewDocuments: number) => ({ ...postgresTextSearchSettings, championFrom: 0, championSize: 80, fewDocuments });
    const terms: TextQuery["terms"] = [{ phrase: ["kinship"], weight: 1 }, { phrase: ["looked", "after"], weight: 1 }, { phrase: ["council"], weight: 1 }];
    const query: TextQuery = { terms, limit: 8, documentIds };
    const results: unknown[] = [];
    for (const fewDocuments of [documentIds.length, 0]) {
      const store = await openPostgresStore(
        { url: database.url, workspaceId },
        { textSearch: settings(fewDocuments), championSearch: { ...championSearchSettings, rareCandidates: 10, scanDocumentsUpTo: 0 } },
      );
      const spy = vi.spyOn(pg.Client.prototype, "query");
      try {
        results.push((await store.passages.searchText(query)).map((hit) => [hit.chunkId, hit.score.toFixed(9)]));
        // Past fewDocuments, every document of the library asked for is sent as none left out.
        expect(statementsSent(spy.mock.calls).some((statement) => statement.text.includes("NOT (c.document_id = ANY"))).toBe(fewDocuments === 0);
      } finally {
        spy.mockRestore();
        await store.close();
      }
    }
    expect((results[0] as unknown[]).length).toBe(8);
    expect(results[1]).toEqual(results[0]);
  });

  it("leaves out of a restricted search's fill the passages it has read outside its documents, with the same results", async () => {
    const large = { ...postgresTextSearchSettings, championFrom: 0, championSize: 80 };
    const open = (): Promise<Store> =>
      openPostgresStore({ url: database.url, workspaceId }, { textSearch: large, championSearch: { ...championSearchSettings, rareCandidates: 10, scanDocumentsUpTo: 0 } });
    const terms: TextQuery["terms"] = [{ phrase: ["kinship"], weight: 1 }, { phrase: ["looked", "after"], weight: 1 }, { phrase: ["council"], weight: 1 }];
    const [leeds] = documentIds as [number];
    const restricted: TextQuery = { terms, limit: 5, documentIds: [leeds] };
    const fresh = await open();
    const expected = await fresh.passages.searchText(restricted);
    await fresh.close();
    const store = await open();
    const spy = vi.spyOn(pg.Client.prototype, "query");
    /** The given ids the last candidate statement sent (a restricted search's: `unnest($ids, $positions)`). */
    const givenSent = (): number[] => {
      const call = statementsSent(spy.mock.calls).findLast((entry) => entry.text.includes("candidates AS"));
      const position = /unnest\(\$(\d+)::bigint\[\], \$\d+::integer\[\]\)/u.exec(call?.text ?? "");
      return position === null ? [] : (call!.values[Number(position[1]) - 1] as number[]).map(Number);
    };
    try {
      const first = await store.passages.searchText(restricted);
      const before = givenSent();
      await store.passages.searchText({ terms, limit: 5 });
      const second = await store.passages.searchText(restricted);
      const after = givenSent();
      expect(first.map((hit) => [hit.chunkId, hit.score])).toEqual(expected.map((hit) => [hit.chunkId, hit.score]));
      expect(second.map((hit) => [hit.chunkId, hit.score])).toEqual(expected.map((hit) => [hit.chunkId, hit.score]));
      // The second time, the fill holds only passages of Leeds (or not read yet): Bristol's were read the first time.
      expect(before.some((id) => !passagesOf.get(leeds)!.includes(id))).toBe(true);
      expect(after.length).toBeGreaterThan(0);
      expect(after.every((id) => passagesOf.get(leeds)!.includes(id))).toBe(true);
    } finally {
      spy.mockRestore();
      await store.close();
    }
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

describe("a candidate row's text forms", () => {
  const row = { grp: 1, id: "7", document_id: "3", indexed_length: 12, vector: null };

  it("decode to the counts and tests the server computed, each in its place", () => {
    expect(candidateInputs({ ...row, counts: "2,0,1.5,1e-05,0", found: "tfft" })).toEqual({
      ...row,
      counts: [2, 0, 1.5, 0.00001, 0],
      found: [true, false, false, true],
    });
  });

  it("keep null for a passage outside the searched documents and for a search without longer phrases", () => {
    expect(candidateInputs({ ...row, counts: null, found: null })).toEqual({ ...row, counts: null, found: null });
    expect(candidateInputs({ ...row, counts: "1,0", found: null }).found).toBeNull();
  });
});
