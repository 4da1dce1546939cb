/**
 * Documents, units and passages in PostgreSQL. `replace` writes a document whole in one transaction, removing every
 * earlier version with the same source path (or the same content) in that transaction, and keeps the workspace's
 * stem counts and statistics in step; a failure anywhere rolls the whole write back, leaving the old version.
 */
import type { Chunk, UnitText } from "../../chunking/types.ts";
import { HearthError, describeError } from "../../errors/hearth-error.ts";
import { contentSettingKeys } from "../content-settings.ts";
import type { DocumentRecord, DocumentStore, IntegrityReport, NewDataTable, NewDocument } from "../types.ts";
import { insertStemLists, StemLists } from "./postgres-document-stems.ts";
import { chunkContext, passageTerms } from "./postgres-text-search.ts";
import { asId, documentColumns, storable, toDocument, type Bigint, type DocumentRow } from "./postgres-rows.ts";
import { insertDataTables } from "./postgres-tables.ts";
import { moveLibraryVersion } from "./postgres-version.ts";
import type { WorkspaceQueries } from "./workspace-queries.ts";

/** Rows per INSERT … SELECT FROM unnest(…): large enough to be fast, small enough to keep statements modest. */
const batchSize = 1_000;

/** Changes to the workspace's stem counts and statistics made by one write, applied once at its end. */
export class LibraryCounts {
  readonly stems = new Map<string, number>();
  chunks = 0;
  textTokens = 0;
  indexedTokens = 0;

  addStem(stem: string, change: number): void {
    this.stems.set(stem, (this.stems.get(stem) ?? 0) + change);
  }

  /**
   * Applies the changes: stems in one statement in a fixed (byte) order, so that concurrent writers lock the shared
   * stem rows in the same order and cannot deadlock; then the statistics row.
   */
  async apply(queries: WorkspaceQueries): Promise<void> {
    const changed = [...this.stems].filter(([, change]) => change !== 0);
    if (changed.length > 0) {
      const stems = changed.map(([stem]) => stem);
      await queries.query(
        `INSERT INTO library_stems (workspace_id, stem, passages)
         SELECT $1, t.stem, t.change FROM unnest($2::text[], $3::integer[]) AS t(stem, change) ORDER BY t.stem COLLATE "C"
         ON CONFLICT (workspace_id, stem) DO UPDATE SET passages = library_stems.passages + excluded.passages`,
        [stems, changed.map(([, change]) => change)],
      );
      // Only a stem whose count fell can reach zero (a write that only adds passages deletes nothing).
      const fallen = changed.filter(([, change]) => change < 0).map(([stem]) => stem);
      if (fallen.length > 0) {
        await queries.query("DELETE FROM library_stems WHERE workspace_id = $1 AND stem = ANY ($2::text[]) AND passages <= 0", [fallen]);
      }
    }
    // Any passage written or removed (even one that leaves every count as it was) moves the generation, which
    // invalidates the phrase counts kept for search.
    if (this.stems.size > 0 || this.chunks !== 0 || this.textTokens !== 0 || this.indexedTokens !== 0) {
      await queries.query(
        `INSERT INTO library_statistics (workspace_id, chunk_count, text_tokens, indexed_tokens, passage_generation) VALUES ($1, $2, $3, $4, 1)
         ON CONFLICT (workspace_id) DO UPDATE SET chunk_count = library_statistics.chunk_count + excluded.chunk_count,
           text_tokens = library_statistics.text_tokens + excluded.text_tokens,
           indexed_tokens = library_statistics.indexed_tokens + excluded.indexed_tokens,
           passage_generation = library_statistics.passage_generation + 1`,
        [this.chunks, this.textTokens, this.indexedTokens],
      );
    }
  }
}

/**
 * Deletes documents (units, passages, tables and vectors go by ON DELETE CASCADE), counting what leaves, and the
 * settings kept for their content (src/store/content-settings.ts) but those of `keptContentHash` (a new version's).
 */
async function deleteDocuments(queries: WorkspaceQueries, ids: number[], counts: LibraryCounts, keptContentHash?: string): Promise<number> {
  if (ids.length === 0) return 0;
  const stems = await queries.query<{ stem: string; passages: Bigint }>(
    `SELECT u.lexeme AS stem, count(*) AS passages
       FROM library_chunks c CROSS JOIN LATERAL unnest(c.terms) AS u(lexeme, positions, weights)
      WHERE c.workspace_id = $1 AND c.document_id = ANY ($2::bigint[]) GROUP BY u.lexeme`,
    [ids],
  );
  for (const row of stems.rows) counts.addStem(row.stem, -Number(row.passages));
  const totals = await queries.query<{ chunks: Bigint; text_tokens: Bigint; indexed_tokens: Bigint }>(
    `SELECT count(*) AS chunks, coalesce(sum(token_count), 0) AS text_tokens, coalesce(sum(indexed_length), 0) AS indexed_tokens
       FROM library_chunks WHERE workspace_id = $1 AND document_id = ANY ($2::bigint[])`,
    [ids],
  );
  const total = totals.rows[0];
  counts.chunks -= Number(total?.chunks ?? 0);
  counts.textTokens -= Number(total?.text_tokens ?? 0);
  counts.indexedTokens -= Number(total?.indexed_tokens ?? 0);
  const deleted = await queries.query<{ content_hash: string }>(
    "DELETE FROM library_documents WHERE workspace_id = $1 AND id = ANY ($2::bigint[]) RETURNING content_hash",
    [ids],
  );
  const settingKeys = deleted.rows.filter((row) => row.content_hash !== keptContentHash).flatMap((row) => contentSettingKeys(row.content_hash));
  if (settingKeys.length > 0) await queries.query("DELETE FROM library_settings WHERE workspace_id = $1 AND key = ANY ($2::text[])", [settingKeys]);
  return deleted.rowCount ?? 0;
}

async function insertUnits(queries: WorkspaceQueries, documentId: number, units: UnitText[]): Promise<void> {
  for (let start = 0; start < units.length; start += batchSize) {
    const batch = units.slice(start, start + batchSize);
    await queries.query(
      `INSERT INTO library_units (workspace_id, document_id, idx, page, section, text)
       SELECT $1, $2, t.idx, t.page, t.section, t.text FROM unnest($3::integer[], $4::integer[], $5::text[], $6::text[]) AS t(idx, page, section, text)`,
      [documentId, batch.map((unit) => unit.index), batch.map((unit) => unit.page), batch.map((unit) => unit.section), batch.map((unit) => storable(unit.text))],
    );
  }
}

/** Writes a document's passages; `stemLists`, when given, collects each passage's stems (postgres-document-stems.ts). */
async function insertChunks(
  queries: WorkspaceQueries,
  documentId: number,
  fileName: string,
  chunks: Chunk[],
  counts: LibraryCounts,
  stemLists?: StemLists,
): Promise<void> {
  for (let start = 0; start < chunks.length; start += batchSize) {
    const batch = chunks.slice(start, start + batchSize);
    const contexts = batch.map((chunk) => chunkContext(fileName, chunk));
    const terms = batch.map((chunk, index) => passageTerms(chunk.text, contexts[index]!));
    for (const [index, passage] of terms.entries()) {
      stemLists?.add(batch[index]!.ordinal, passage.stems);
      for (const stem of passage.stems) counts.addStem(stem, 1);
      counts.chunks += 1;
      counts.textTokens += passage.textTokens;
      counts.indexedTokens += passage.indexedLength;
    }
    await queries.query(
      `INSERT INTO library_chunks (workspace_id, document_id, ordinal, page, section, heading_path, kind, text, context,
         start_offset, end_offset, token_count, indexed_length, terms, text_counts, context_counts)
       SELECT $1, $2, t.ordinal, t.page, t.section, t.heading_path::jsonb, t.kind, t.text, t.context, t.start_offset,
              t.end_offset, t.token_count, t.indexed_length, t.terms::tsvector, t.text_counts::jsonb, t.context_counts::jsonb
         FROM unnest($3::integer[], $4::integer[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::integer[],
                     $11::integer[], $12::integer[], $13::integer[], $14::text[], $15::text[], $16::text[])
           AS t(ordinal, page, section, heading_path, kind, text, context, start_offset, end_offset, token_count, indexed_length,
                terms, text_counts, context_counts)`,
      [
        documentId,
        batch.map((chunk) => chunk.ordinal),
        batch.map((chunk) => chunk.page),
        batch.map((chunk) => (chunk.section === null ? null : storable(chunk.section))),
        batch.map((chunk) => JSON.stringify(chunk.headingPath.map(storable))),
        batch.map((chunk) => chunk.kind),
        batch.map((chunk) => storable(chunk.text)),
        contexts.map(storable),
        batch.map((chunk) => chunk.start),
        batch.map((chunk) => chunk.end),
        terms.map((passage) => passage.textTokens),
        terms.map((passage) => passage.indexedLength),
        terms.map((passage) => passage.vector),
        terms.map((passage) => passage.textCounts),
        terms.map((passage) => passage.contextCounts),
      ],
    );
  }
}

/**
 * Runs a write again (up to twice) when it lost a race that a fresh attempt resolves: two writers storing the same
 * content at once (the second's insert meets the first's committed row: unique_violation) or a deadlock.
 */
async function retryingConflicts<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      const { code, constraint } = error as { code?: unknown; constraint?: unknown };
      const sameContent = code === "23505" && constraint === "library_documents_workspace_id_content_hash_key";
      if (attempt >= 3 || !(sameContent || code === "40P01")) throw error;
    }
  }
}

export class PostgresDocuments implements DocumentStore {
  readonly #queries: WorkspaceQueries;
  /** A document of this many passages or more keeps its passages per stem (postgres-document-stems.ts). */
  readonly #listStemsFrom: number;

  constructor(queries: WorkspaceQueries, listStemsFrom: number) {
    this.#queries = queries;
    this.#listStemsFrom = listStemsFrom;
  }

  async findByHash(contentHash: string): Promise<DocumentRecord | undefined> {
    const result = await this.#queries.query<DocumentRow>(
      `SELECT ${documentColumns} FROM library_documents WHERE workspace_id = $1 AND content_hash = $2`,
      [contentHash],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : toDocument(row);
  }

  async findByPath(sourcePath: string): Promise<DocumentRecord[]> {
    const result = await this.#queries.query<DocumentRow>(
      `SELECT ${documentColumns} FROM library_documents WHERE workspace_id = $1 AND source_path = $2 ORDER BY id`,
      [sourcePath],
    );
    return result.rows.map(toDocument);
  }

  async replace(document: NewDocument, units: UnitText[], chunks: Chunk[], tables: NewDataTable[] = []): Promise<DocumentRecord> {
    try {
      // The record as written, returned from inside the transaction: a later writer may replace it at once.
      return await retryingConflicts(() => this.#queries.transaction(async (queries) => {
        const counts = new LibraryCounts();
        // Earlier versions (same path) and the same content stored elsewhere, locked so a concurrent writer waits.
        const earlier = await queries.query<{ id: Bigint }>(
          "SELECT id FROM library_documents WHERE workspace_id = $1 AND (source_path = $2 OR content_hash = $3) ORDER BY id FOR UPDATE",
          [document.sourcePath, document.contentHash],
        );
        await deleteDocuments(queries, earlier.rows.map((row) => Number(row.id)), counts, document.contentHash);
        const inserted = await queries.query<DocumentRow>(
          `INSERT INTO library_documents (workspace_id, file_name, source_path, content_hash, format, title, byte_size,
             unit_count, chunk_count, warnings, ingested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
           RETURNING ${documentColumns}`,
          [
            storable(document.fileName),
            storable(document.sourcePath),
            document.contentHash,
            document.format,
            document.title === null ? null : storable(document.title),
            document.byteSize,
            units.length,
            chunks.length,
            JSON.stringify(document.warnings.map(storable)),
            new Date().toISOString(),
          ],
        );
        const record = toDocument(inserted.rows[0]!);
        const id = record.id;
        await insertUnits(queries, id, units);
        const stemLists = chunks.length >= this.#listStemsFrom ? new StemLists() : undefined;
        await insertChunks(queries, id, document.fileName, chunks, counts, stemLists);
        if (stemLists !== undefined) await insertStemLists(queries, id, stemLists);
        await insertDataTables(queries, id, tables);
        await counts.apply(queries);
        await moveLibraryVersion(queries);
        return record;
      }));
    } catch (error) {
      throw new HearthError("STORE_FAILED", `${document.fileName}: could not save to the library (${describeError(error)})`, {
        subject: document.sourcePath,
        cause: error,
      });
    }
  }

  async list(): Promise<DocumentRecord[]> {
    const result = await this.#queries.query<DocumentRow>(
      `SELECT ${documentColumns} FROM library_documents WHERE workspace_id = $1
        ORDER BY lower(file_name) COLLATE "C", file_name COLLATE "C", id`,
    );
    return result.rows.map(toDocument);
  }

  async get(id: number): Promise<DocumentRecord | undefined> {
    const documentId = asId(id);
    if (documentId === null) return undefined;
    const result = await this.#queries.query<DocumentRow>(
      `SELECT ${documentColumns} FROM library_documents WHERE workspace_id = $1 AND id = $2`,
      [documentId],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : toDocument(row);
  }

  async remove(id: number): Promise<boolean> {
    const documentId = asId(id);
    if (documentId === null) return false;
    return this.#queries.transaction(async (queries) => {
      const counts = new LibraryCounts();
      const locked = await queries.query("SELECT id FROM library_documents WHERE workspace_id = $1 AND id = $2 FOR UPDATE", [documentId]);
      if (locked.rows.length === 0) return false;
      const removed = await deleteDocuments(queries, [documentId], counts);
      await counts.apply(queries);
      if (removed > 0) await moveLibraryVersion(queries);
      return removed > 0;
    });
  }

  async unitTexts(documentIds: number[], pages?: readonly (number | null)[]): Promise<Map<number, UnitText[]>> {
    const ids = [...new Set(documentIds.map(asId).filter((id): id is number => id !== null))];
    const byDocument = new Map<number, UnitText[]>(documentIds.map((id) => [id, []]));
    if (ids.length === 0) return byDocument;
    type Row = { document_id: Bigint; idx: number; page: number | null; section: string | null; text: string };
    const result =
      pages === undefined
        ? await this.#queries.query<Row>(
            "SELECT document_id, idx, page, section, text FROM library_units WHERE workspace_id = $1 AND document_id = ANY ($2::bigint[]) ORDER BY document_id, idx",
            [ids],
          )
        : await this.#queries.query<Row>(
            `SELECT document_id, idx, page, section, text FROM library_units WHERE workspace_id = $1 AND document_id = ANY ($2::bigint[])
               AND (page = ANY ($3::int[]) OR (page IS NULL AND $4::boolean)) ORDER BY document_id, idx`,
            [ids, pages.filter((page): page is number => page !== null && Number.isSafeInteger(page)), pages.includes(null)],
          );
    for (const row of result.rows) {
      byDocument.get(Number(row.document_id))?.push({ index: row.idx, page: row.page, section: row.section, text: row.text });
    }
    return byDocument;
  }

  async chunks(documentId: number): Promise<Chunk[]> {
    const id = asId(documentId);
    if (id === null) return [];
    const result = await this.#queries.query<{
      ordinal: number;
      page: number | null;
      section: string | null;
      heading_path: string[];
      kind: Chunk["kind"];
      text: string;
      start_offset: number;
      end_offset: number;
    }>(
      `SELECT ordinal, page, section, heading_path, kind, text, start_offset, end_offset FROM library_chunks
        WHERE workspace_id = $1 AND document_id = $2 ORDER BY ordinal`,
      [id],
    );
    return result.rows.map((row) => ({
      ordinal: row.ordinal,
      page: row.page,
      section: row.section,
      headingPath: row.heading_path,
      kind: row.kind,
      text: row.text,
      start: row.start_offset,
      end: row.end_offset,
    }));
  }

  async checkIntegrity(): Promise<IntegrityReport> {
    const problems: string[] = [];
    const guard = async (what: string, check: () => Promise<void>): Promise<void> => {
      try {
        await check();
      } catch (error) {
        problems.push(`${what}: ${describeError(error)}`);
      }
    };
    const queries = this.#queries;
    // Each document records how many passages and units it has; the tables must hold exactly that many.
    for (const { table, column, noun } of [
      { table: "library_chunks", column: "chunk_count", noun: "passages" },
      { table: "library_units", column: "unit_count", noun: "units" },
    ] as const) {
      await guard(`${noun} counts`, async () => {
        const rows = await queries.query<{ id: Bigint; file_name: string; expected: number; actual: Bigint }>(
          `SELECT d.id, d.file_name, d.${column} AS expected, count(t.document_id) AS actual
             FROM library_documents d LEFT JOIN ${table} t ON t.workspace_id = d.workspace_id AND t.document_id = d.id
            WHERE d.workspace_id = $1 GROUP BY d.id, d.file_name, d.${column} HAVING count(t.document_id) <> d.${column}`,
        );
        for (const row of rows.rows) problems.push(`${row.file_name} (document ${row.id}): expected ${row.expected} ${noun}, found ${row.actual}`);
      });
    }
    await guard("orphans", async () => {
      for (const { table, noun } of [
        { table: "library_chunks", noun: "passages" },
        { table: "library_units", noun: "units" },
        { table: "library_data_tables", noun: "data tables" },
      ] as const) {
        const rows = await queries.query<{ n: Bigint }>(
          `SELECT count(*) AS n FROM ${table} t WHERE t.workspace_id = $1
              AND NOT EXISTS (SELECT 1 FROM library_documents d WHERE d.workspace_id = t.workspace_id AND d.id = t.document_id)`,
        );
        const orphans = Number(rows.rows[0]?.n ?? 0);
        if (orphans > 0) problems.push(`${orphans} ${noun} belong to no document`);
      }
    });
    await guard("versions", async () => {
      const rows = await queries.query<{ source_path: string; n: Bigint }>(
        "SELECT source_path, count(*) AS n FROM library_documents WHERE workspace_id = $1 GROUP BY source_path HAVING count(*) > 1",
      );
      for (const row of rows.rows) problems.push(`${row.n} versions of ${row.source_path} are stored`);
    });
    await guard("stem lists", async () => {
      // A listed document's stem lists (postgres-document-stems.ts) hold each of its passages once under each of the
      // passage's stems: as many entries as its passages' tsvectors hold lexemes. A restricted search trusts them.
      const rows = await queries.query<{ id: Bigint; file_name: string; blocks: number | null; listed: Bigint; actual: Bigint }>(
        `SELECT d.id, d.file_name, d.stem_blocks AS blocks,
                (SELECT coalesce(sum(cardinality(s.ordinals)), 0) FROM library_document_stems s WHERE s.workspace_id = d.workspace_id AND s.document_id = d.id) AS listed,
                (SELECT coalesce(sum(length(c.terms)), 0) FROM library_chunks c WHERE c.workspace_id = d.workspace_id AND c.document_id = d.id) AS actual
           FROM library_documents d WHERE d.workspace_id = $1
            AND (d.stem_blocks IS NOT NULL OR EXISTS (SELECT 1 FROM library_document_stems e WHERE e.workspace_id = d.workspace_id AND e.document_id = d.id))`,
      );
      for (const row of rows.rows) {
        if (row.blocks === null && Number(row.listed) > 0) problems.push(`${row.file_name} (document ${row.id}): has stem lists but is not marked as listed`);
        if (row.blocks !== null && Number(row.listed) !== Number(row.actual)) {
          problems.push(`${row.file_name} (document ${row.id}): its stem lists hold ${row.listed} passage stems, its passages ${row.actual}`);
        }
      }
    });
    await guard("stem counts", async () => {
      // The stem table must count exactly the passages holding each stem (it gives document frequencies and IDF).
      const rows = await queries.query<{ stem: string; stored: number | null; actual: Bigint | null }>(
        `WITH actual AS (
           SELECT u.lexeme AS stem, count(*) AS passages
             FROM library_chunks c CROSS JOIN LATERAL unnest(c.terms) AS u(lexeme, positions, weights)
            WHERE c.workspace_id = $1 GROUP BY u.lexeme),
         stored AS (SELECT stem, passages FROM library_stems s WHERE s.workspace_id = $1)
         SELECT coalesce(a.stem, s.stem) AS stem, s.passages AS stored, a.passages AS actual
           FROM actual a FULL JOIN stored s ON s.stem = a.stem
          WHERE a.passages IS DISTINCT FROM s.passages::bigint LIMIT 20`,
      );
      for (const row of rows.rows) {
        problems.push(`stem "${row.stem}": counted in ${row.stored ?? 0} passages, found in ${row.actual ?? 0}`);
      }
    });
    let documents = 0;
    let chunks = 0;
    await guard("statistics", async () => {
      const counted = await queries.query<{ documents: Bigint; chunks: Bigint; text_tokens: Bigint; indexed_tokens: Bigint }>(
        `SELECT (SELECT count(*) FROM library_documents d WHERE d.workspace_id = $1) AS documents,
                count(*) AS chunks, coalesce(sum(token_count), 0) AS text_tokens, coalesce(sum(indexed_length), 0) AS indexed_tokens
           FROM library_chunks c WHERE c.workspace_id = $1`,
      );
      const row = counted.rows[0];
      documents = Number(row?.documents ?? 0);
      chunks = Number(row?.chunks ?? 0);
      const stored = await queries.query<{ chunk_count: Bigint; text_tokens: Bigint; indexed_tokens: Bigint }>(
        "SELECT chunk_count, text_tokens, indexed_tokens FROM library_statistics WHERE workspace_id = $1",
      );
      const statistics = stored.rows[0];
      const expected = [chunks, Number(row?.text_tokens ?? 0), Number(row?.indexed_tokens ?? 0)];
      const actual = [Number(statistics?.chunk_count ?? 0), Number(statistics?.text_tokens ?? 0), Number(statistics?.indexed_tokens ?? 0)];
      if (expected.some((value, index) => value !== actual[index])) {
        problems.push(`library statistics record ${actual.join("/")} passages/tokens/indexed tokens, the passages hold ${expected.join("/")}`);
      }
    });
    return { ok: problems.length === 0, problems, documents, chunks };
  }
}
