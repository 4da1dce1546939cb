/**
 * A large document's passages per stem (postgres-document-stems.ts): written with the document, the same as the
 * migration computes for a library written before them, gone with the document; and a restricted search's own
 * passages found from them are exactly those found by reading and testing every passage of the documents.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { sampleDocument } from "../test-fixtures/sample-documents.ts";
import type { Store } from "../types.ts";
import { candidateInputs, candidateStatement, championSearchSettings, type CandidateRow, type CandidateSource } from "./postgres-champion-search.ts";
import { acquirePostgresPool, releasePostgresPool } from "./postgres-connection.ts";
import { stemToken } from "../passage-tokens.ts";
import { StemLists, stemBlockSize } from "./postgres-document-stems.ts";
import { openPostgresStore } from "./postgres-store.ts";
import { WorkspaceQueries } from "./workspace-queries.ts";

const workspaceId = "stem-lists";

/**
 * `count` passages: a word in every one ("council"), one in every seventh ("kinship"), one in a few late ones only
 * ("fostering", past the first block), a phrase's words together in every third ("looked after") and apart in others.
 */
function texts(place: string, count: number): string {
  return Array.from({ length: count }, (_, index) => {
    const kinship = index % 7 === 0 ? " The kinship panel met." : "";
    const fostering = index > count - 12 && index % 4 === 0 ? " Fostering allowances rose." : "";
    const looked = index % 3 === 0 ? "Children looked after" : index % 3 === 1 ? "Children after school were looked at" : "Young people";
    return `The ${place} council reviews placements ${index}.${kinship}${fostering} ${looked} in care.`;
  }).join("\n\n");
}

interface StemRow {
  document_id: string;
  block: number;
  stem: string;
  ordinals: number[];
}

/** How many (stem, passage) entries a document's stem lists hold. */
async function entries(pool: { query: (sql: string, values: unknown[]) => Promise<{ rows: { n: string }[] }> }, documentId: number): Promise<number> {
  const result = await pool.query("SELECT sum(cardinality(ordinals))::text AS n FROM library_document_stems WHERE workspace_id = $1 AND document_id = $2", [workspaceId, documentId]);
  return Number(result.rows[0]?.n ?? 0);
}

describe.skipIf(withoutPostgres())("PostgreSQL: a large document's passages per stem", () => {
  let database: TestDatabase;
  let queries: WorkspaceQueries;
  /** Documents by place: Leeds and Bristol are listed (300 and 200 passages), York is not (40). */
  const documentOf = new Map<string, number>();
  const passagesOf = new Map<number, number[]>();

  const listed = async (): Promise<{ stems: StemRow[]; blocks: Map<number, number | null> }> => {
    const stems = await queries.query<StemRow>(
      "SELECT document_id, block, stem, ordinals FROM library_document_stems WHERE workspace_id = $1 ORDER BY document_id, block, stem",
    );
    const blocks = await queries.query<{ id: string; stem_blocks: number | null }>("SELECT id, stem_blocks FROM library_documents WHERE workspace_id = $1");
    return { stems: stems.rows, blocks: new Map(blocks.rows.map((row) => [Number(row.id), row.stem_blocks])) };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const store: Store = await openPostgresStore({ url: database.url, workspaceId }, { championSearch: { ...championSearchSettings, listStemsFrom: 200 } });
    for (const [place, count] of [["Leeds", 300], ["Bristol", 200], ["York", 40]] as const) {
      const sample = sampleDocument(`/library/${place}.txt`, { format: "text", paged: true, text: texts(place, count) });
      documentOf.set(place, (await store.documents.replace(sample.document, sample.units, sample.chunks)).id);
    }
    await store.close();
    const pool = await acquirePostgresPool(database.url);
    queries = new WorkspaceQueries(pool, workspaceId);
    const rows = await queries.query<{ id: string; document_id: string }>("SELECT id, document_id FROM library_chunks WHERE workspace_id = $1 ORDER BY document_id, ordinal");
    for (const row of rows.rows) passagesOf.set(Number(row.document_id), [...(passagesOf.get(Number(row.document_id)) ?? []), Number(row.id)]);
  });
  afterAll(async () => {
    if (database !== undefined) await releasePostgresPool(database.url);
    await database?.drop();
  });

  it("lists a document of listStemsFrom passages or more, in blocks, as the migration lists one written before", async () => {
    const written = await listed();
    const leeds = documentOf.get("Leeds")!;
    const bristol = documentOf.get("Bristol")!;
    const york = documentOf.get("York")!;
    expect(written.blocks).toEqual(new Map([[leeds, Math.ceil(300 / stemBlockSize)], [bristol, Math.ceil(200 / stemBlockSize)], [york, null]]));
    expect(written.stems.some((row) => Number(row.document_id) === york)).toBe(false);
    // "council" is in every passage: each block's list holds every ordinal of the block.
    const council = written.stems.filter((row) => Number(row.document_id) === leeds && row.stem === "council");
    expect(council.map((row) => row.ordinals)).toEqual(
      Array.from({ length: Math.ceil(300 / stemBlockSize) }, (_, block) =>
        Array.from({ length: Math.min(stemBlockSize, 300 - block * stemBlockSize) }, (_, index) => block * stemBlockSize + index),
      ),
    );
    // A library written before the lists: the migration lists the documents of 200 passages or more from their
    // tsvectors, and finds the lists the store writes.
    const pool = await acquirePostgresPool(database.url);
    try {
      await pool.query("DROP TABLE library_document_stems");
      await pool.query("ALTER TABLE library_documents DROP COLUMN stem_blocks");
      await pool.query("DELETE FROM hearth_schema_migrations WHERE component = 'library-search' AND version = 3");
    } finally {
      await releasePostgresPool(database.url);
    }
    await (await openPostgresStore({ url: database.url, workspaceId })).close();
    expect(await listed()).toEqual(written);
  });

  const own = async (source: CandidateSource, stems: string[]): Promise<number[]> => {
    const statement = candidateStatement(source, stems, []);
    const rows = await queries.query<CandidateRow>(statement.sql, statement.params);
    return rows.rows
      .map(candidateInputs)
      .filter((row) => row.grp === 1)
      .map((row) => Number(row.id))
      .sort((left, right) => left - right);
  };

  /** The same statement with every document's lists hidden (so each is read and tested), in a transaction undone after. */
  const ownUnlisted = async (source: CandidateSource, stems: string[]): Promise<number[]> => {
    const undo = new Error("undo");
    let found: number[] = [];
    await queries
      .transaction(async (inside) => {
        await inside.query("UPDATE library_documents SET stem_blocks = NULL WHERE workspace_id = $1");
        const statement = candidateStatement(source, stems, []);
        const rows = await inside.query<CandidateRow>(statement.sql, statement.params);
        found = rows.rows
          .map(candidateInputs)
          .filter((row) => row.grp === 1)
          .map((row) => Number(row.id))
          .sort((left, right) => left - right);
        throw undo;
      })
      .catch((error: unknown) => {
        if (error !== undo) throw error;
      });
    return found;
  };

  it("finds a restricted search's own passages from the lists exactly as by reading every passage", async () => {
    const leeds = documentOf.get("Leeds")!;
    const bristol = documentOf.get("Bristol")!;
    const york = documentOf.get("York")!;
    const phraseSets: string[][][] = [
      ["council"],
      ["fostering"],
      ["kinship", "fostering"],
      ["looked after"],
      ["looked after", "fostering"],
      ["looked after", "after", "kinship panel"],
      ["panel kinship", "nowhere"],
      ["council kinship"],
      ["fostering kinship", "looked after"],
    ].map((set) => set.map((phrase) => phrase.split(" ").map(stemToken)));
    let compared = 0;
    for (const documents of [[york, bristol, leeds], [leeds], [leeds, york], [bristol, leeds]]) {
      for (const phrases of phraseSets) {
        for (const limit of [1, 7, 60, 150, 1_000]) {
          // Some passages are found or given already (left out of the own ones): a few of each document's.
          const given = documents.flatMap((id) => passagesOf.get(id)!.filter((_, index) => index % 50 === 3));
          const source: CandidateSource = {
            given: { ids: given, limit: given.length },
            own: { documents, phrases, limit },
            documents,
          };
          const stems = [...new Set(phrases.flat())];
          const fromLists = await own(source, stems);
          expect(fromLists, `${JSON.stringify(phrases)} in ${documents.join(",")}, limit ${limit}`).toEqual(await ownUnlisted(source, stems));
          compared += fromLists.length - given.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(1_000);
  });

  it("takes the passages in document and ordinal order, whatever order the documents are named in", async () => {
    const leeds = documentOf.get("Leeds")!;
    const bristol = documentOf.get("Bristol")!;
    const stems = ["fostering", "kinship"].map(stemToken);
    const source = (documents: number[]): CandidateSource => ({ own: { documents, phrases: stems.map((stem) => [stem]), limit: 30 }, documents });
    const first = await own(source([leeds, bristol]), stems);
    expect(await own(source([bristol, leeds]), stems)).toEqual(first);
    // The lower document id's passages come first: all its 30 (or all it has) before any of the other's.
    const lower = Math.min(leeds, bristol);
    const inLower = passagesOf.get(lower)!.filter((id) => first.includes(id));
    expect(inLower.length).toBe(Math.min(30, first.length));
    expect(inLower).toEqual(passagesOf.get(lower)!.filter((_, index) => index % 7 === 0 || (index > (lower === leeds ? 288 : 188) && index % 4 === 0)).slice(0, 30));
  });

  it("finds a listed document's lists damaged when checking the library's integrity", async () => {
    const leeds = documentOf.get("Leeds")!;
    const check = async (): Promise<string[]> => {
      const store = await openPostgresStore({ url: database.url, workspaceId });
      try {
        return (await store.documents.checkIntegrity()).problems;
      } finally {
        await store.close();
      }
    };
    expect(await check()).toEqual([]);
    const pool = await acquirePostgresPool(database.url);
    try {
      // One passage dropped from one list: the lists no longer hold every passage's stems.
      await pool.query(
        `UPDATE library_document_stems SET ordinals = ordinals[2:] WHERE workspace_id = $1 AND document_id = $2 AND stem = 'council' AND block = 0`,
        [workspaceId, leeds],
      );
      expect(await check()).toEqual([`Leeds.txt (document ${leeds}): its stem lists hold ${await entries(pool, leeds)} passage stems, its passages ${(await entries(pool, leeds)) + 1}`]);
      await pool.query(`UPDATE library_document_stems SET ordinals = '{0}' || ordinals WHERE workspace_id = $1 AND document_id = $2 AND stem = 'council' AND block = 0`, [workspaceId, leeds]);
      // Lists kept for a document not marked as listed.
      await pool.query("UPDATE library_documents SET stem_blocks = NULL WHERE workspace_id = $1 AND id = $2", [workspaceId, leeds]);
      expect(await check()).toEqual([`Leeds.txt (document ${leeds}): has stem lists but is not marked as listed`]);
      await pool.query("UPDATE library_documents SET stem_blocks = $3 WHERE workspace_id = $1 AND id = $2", [workspaceId, leeds, Math.ceil(300 / stemBlockSize)]);
      expect(await check()).toEqual([]);
    } finally {
      await releasePostgresPool(database.url);
    }
  });

  it("removes a document's lists with the document", async () => {
    const store = await openPostgresStore({ url: database.url, workspaceId });
    try {
      expect(await store.documents.remove(documentOf.get("Bristol")!)).toBe(true);
    } finally {
      await store.close();
    }
    const after = await listed();
    expect(after.stems.some((row) => Number(row.document_id) === documentOf.get("Bristol"))).toBe(false);
    expect(after.stems.some((row) => Number(row.document_id) === documentOf.get("Leeds"))).toBe(true);
  });
});

describe("a document's stem lists as collected", () => {
  it("keeps each stem's ordinals per block, ascending and once, in whatever order passages come", () => {
    const inOrder = new StemLists();
    const shuffled = new StemLists();
    const passages = Array.from({ length: 3 * stemBlockSize + 5 }, (_, ordinal) => ({ ordinal, stems: ordinal % 3 === 0 ? ["council", "kinship"] : ["council"] }));
    for (const passage of passages) inOrder.add(passage.ordinal, passage.stems);
    // Backwards, with one passage given twice.
    for (const passage of [...passages].reverse()) shuffled.add(passage.ordinal, passage.stems);
    shuffled.add(7, ["council"]);
    const byKey = (lists: StemLists): Map<string, number[]> => new Map(lists.lists().map((list) => [`${list.block} ${list.stem}`, list.ordinals]));
    expect(inOrder.blocks()).toBe(4);
    expect(byKey(shuffled)).toEqual(byKey(inOrder));
    expect(byKey(inOrder).get("1 kinship")).toEqual(passages.filter((passage) => passage.ordinal >= stemBlockSize && passage.ordinal < 2 * stemBlockSize && passage.ordinal % 3 === 0).map((passage) => passage.ordinal));
    expect(byKey(inOrder).get("3 council")).toEqual([0, 1, 2, 3, 4].map((offset) => 3 * stemBlockSize + offset));
  });

  it("lists no document with an ordinal its blocks cannot hold", () => {
    for (const ordinal of [-1, 2.5, Number.NaN]) {
      const lists = new StemLists();
      lists.add(0, ["council"]);
      lists.add(ordinal, ["council"]);
      expect(lists.blocks(), String(ordinal)).toBeNull();
    }
    expect(new StemLists().blocks()).toBeNull();
  });
});
