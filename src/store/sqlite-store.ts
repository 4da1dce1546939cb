/**
 * The embedded Store: one SQLite file (`hearth.db`) per library, better-sqlite3, FTS5 for full-text search.
 * Every write is one transaction, so a killed process leaves either the old or the new version of a document.
 */
import { mkdirSync } from "node:fs";
import { join, parse } from "node:path";
import Database from "better-sqlite3";
import { load as loadSqliteVec } from "sqlite-vec";
import type { Chunk, UnitText } from "../chunking/types.ts";
import { HearthError, describeError } from "../errors/hearth-error.ts";
import type { DocumentFormat } from "../loaders/types.ts";
import { migrate } from "./sqlite-migrations.ts";
import { contentSettingKeys } from "./content-settings.ts";
import { familyKeyRange, parseFamily, parseSetting, validateSetting } from "./setting-values.ts";
import type { SqliteTextSearch } from "./sqlite-text-search.ts";
import { createSqliteTextSearch } from "./sqlite-text-search.ts";
import { countPassageStemsInWorker } from "./passage-terms-thread.ts";
import type {
  CorpusStatistics,
  DataColumn,
  DataTableRecord,
  NewDataTable,
  DocumentRecord,
  DocumentStore,
  EmbeddingStatus,
  IntegrityReport,
  NewDocument,
  PassageHit,
  PassageRecord,
  PassageIndex,
  SessionStore,
  SessionSummary,
  SettingFamily,
  SettingsStore,
  Store,
  TableStore,
  TextQuery,
} from "./types.ts";
import type { Answer, Session, SessionExchange } from "../answer/types.ts";

export type SqliteStoreOptions = { dataDir: string } | { path: string };

export const databaseFileName = "hearth.db";

interface DocumentRow {
  id: number;
  file_name: string;
  source_path: string;
  content_hash: string;
  format: string;
  title: string | null;
  byte_size: number;
  unit_count: number;
  chunk_count: number;
  warnings: string;
  ingested_at: string;
}

interface PassageRow {
  id: number;
  document_id: number;
  ordinal: number;
  page: number | null;
  section: string | null;
  heading_path: string;
  kind: string;
  text: string;
  start_offset: number;
  end_offset: number;
  file_name: string;
  format: string;
  title: string | null;
}

interface DataTableRow {
  id: number;
  document_id: number;
  file_name: string;
  unit_index: number;
  sheet: string | null;
  title: string | null;
  description: string;
  columns: string;
  row_count: number;
}

function toDataTable(row: DataTableRow): DataTableRecord {
  return {
    id: row.id,
    documentId: row.document_id,
    fileName: row.file_name,
    unitIndex: row.unit_index,
    sheet: row.sheet,
    title: row.title,
    description: row.description,
    columns: JSON.parse(row.columns) as DataColumn[],
    rowCount: row.row_count,
  };
}

const dataTableSelect =
  "SELECT t.id, t.document_id, d.file_name, t.unit_index, t.sheet, t.title, t.description, t.columns, t.row_count FROM data_tables t JOIN documents d ON d.id = t.document_id";

interface UnitRow {
  idx: number;
  page: number | null;
  section: string | null;
  text: string;
}

// tokenize and countTokens live in passage-tokens.ts (shared with the PostgreSQL store, which must not load
// better-sqlite3); re-exported here for existing importers.
import { countTokens, tokenize } from "./passage-tokens.ts";
export { countTokens, tokenize } from "./passage-tokens.ts";

/**
 * An FTS5 MATCH expression from structured terms: each term a quoted phrase, OR-joined. Quoting everything means
 * AND/OR/NOT/NEAR, '*', '^', ':' and parentheses in user text are plain text; a word with no letters or digits is
 * dropped because the tokenizer would drop it too (and an empty phrase is an error). Returns null when nothing is
 * left to match.
 */
export function buildMatchExpression(terms: TextQuery["terms"]): string | null {
  const phrases = new Set<string>();
  for (const term of terms) {
    const words = term.phrase.flatMap((word) => tokenize(String(word)));
    if (words.length === 0) continue;
    phrases.add(`"${words.join(" ").replaceAll('"', '""')}"`);
  }
  return phrases.size === 0 ? null : [...phrases].join(" OR ");
}

/** The labels a passage is found by besides its text: file name without extension, headings, section. */
function contextFor(documentName: string, chunk: Chunk): string {
  const parts = [documentName, ...chunk.headingPath, chunk.section ?? ""].map((part) => part.trim());
  return [...new Set(parts.filter((part) => part.length > 0))].join(" › ");
}

function toDocument(row: DocumentRow): DocumentRecord {
  return {
    id: row.id,
    fileName: row.file_name,
    sourcePath: row.source_path,
    contentHash: row.content_hash,
    format: row.format as DocumentFormat,
    title: row.title,
    byteSize: row.byte_size,
    unitCount: row.unit_count,
    chunkCount: row.chunk_count,
    warnings: JSON.parse(row.warnings) as string[],
    ingestedAt: row.ingested_at,
  };
}

function toPassage(row: PassageRow): PassageRecord {
  return {
    chunkId: row.id,
    documentId: row.document_id,
    fileName: row.file_name,
    format: row.format as DocumentFormat,
    title: row.title,
    page: row.page,
    section: row.section,
    headingPath: JSON.parse(row.heading_path) as string[],
    kind: row.kind as Chunk["kind"],
    text: row.text,
    start: row.start_offset,
    end: row.end_offset,
    ordinal: row.ordinal,
  };
}

const passageColumns = `c.id, c.document_id, c.ordinal, c.page, c.section, c.heading_path, c.kind, c.text,
  c.start_offset, c.end_offset, d.file_name, d.format, d.title`;

function prepareStatements(database: Database.Database) {
  return {
    documentByHash: database.prepare<[string], DocumentRow>("SELECT * FROM documents WHERE content_hash = ?"),
    documentsByPath: database.prepare<[string], DocumentRow>("SELECT * FROM documents WHERE source_path = ? ORDER BY id"),
    documentById: database.prepare<[number], DocumentRow>("SELECT * FROM documents WHERE id = ?"),
    listDocuments: database.prepare<[], DocumentRow>("SELECT * FROM documents ORDER BY file_name COLLATE NOCASE, file_name, id"),
    deleteDocument: database.prepare<[number], { content_hash: string }>("DELETE FROM documents WHERE id = ? RETURNING content_hash"),
    deleteVersions: database.prepare<[string, string], { content_hash: string }>(
      "DELETE FROM documents WHERE source_path = ? OR content_hash = ? RETURNING content_hash",
    ),
    deleteSetting: database.prepare<[string]>("DELETE FROM settings WHERE key = ?"),
    insertDocument: database.prepare<[string, string, string, string, string | null, number, number, number, string, string]>(
      `INSERT INTO documents (file_name, source_path, content_hash, format, title, byte_size, unit_count, chunk_count,
         warnings, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertUnit: database.prepare<[number, number, number | null, string | null, string]>(
      "INSERT INTO units (document_id, idx, page, section, text) VALUES (?, ?, ?, ?, ?)",
    ),
    insertChunk: database.prepare<
      [number, number, number | null, string | null, string, string, string, string, number, number, number]
    >(
      `INSERT INTO chunks (document_id, ordinal, page, section, heading_path, kind, text, context, start_offset,
         end_offset, token_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    indexChunk: database.prepare<[number | bigint, string, string]>("INSERT INTO chunks_fts (rowid, text, context) VALUES (?, ?, ?)"),
    unitTexts: database.prepare<[number], UnitRow>("SELECT idx, page, section, text FROM units WHERE document_id = ? ORDER BY idx"),
    unitTextsOnPages: database.prepare<[number, string, number], UnitRow>(
      `SELECT idx, page, section, text FROM units WHERE document_id = ?
         AND (page IN (SELECT value FROM json_each(?)) OR (page IS NULL AND ? = 1)) ORDER BY idx`,
    ),
    chunksOf: database.prepare<[number], Omit<PassageRow, "id" | "document_id" | "file_name" | "format" | "title">>(
      "SELECT ordinal, page, section, heading_path, kind, text, start_offset, end_offset FROM chunks WHERE document_id = ? ORDER BY ordinal",
    ),
    passages: database.prepare<[string], PassageRow>(
      `SELECT ${passageColumns} FROM chunks c JOIN documents d ON d.id = c.document_id
        WHERE c.id IN (SELECT value FROM json_each(?))`,
    ),
    statistics: database.prepare<[], { chunks: number; average: number }>(
      "SELECT count(*) AS chunks, coalesce(avg(token_count), 0) AS average FROM chunks",
    ),
    insertSession: database.prepare<[string, string]>("INSERT OR IGNORE INTO sessions (name, created_at) VALUES (?, ?)"),
    sessionByName: database.prepare<[string], { id: number; name: string; created_at: string }>(
      "SELECT id, name, created_at FROM sessions WHERE name = ?",
    ),
    insertExchange: database.prepare<[number, string, string, string]>(
      "INSERT INTO exchanges (session_id, asked_at, question, answer) VALUES (?, ?, ?, ?)",
    ),
    exchanges: database.prepare<[number], { asked_at: string; answer: string }>(
      "SELECT asked_at, answer FROM exchanges WHERE session_id = ? ORDER BY id",
    ),
    listSessions: database.prepare<[], { name: string; created_at: string; exchange_count: number; updated_at: string }>(
      `SELECT s.name, s.created_at, count(e.id) AS exchange_count, coalesce(max(e.asked_at), s.created_at) AS updated_at
         FROM sessions s LEFT JOIN exchanges e ON e.session_id = s.id GROUP BY s.id ORDER BY updated_at DESC, s.name`,
    ),
    deleteSession: database.prepare<[string]>("DELETE FROM sessions WHERE name = ?"),
    getSetting: database.prepare<[string], { value: string }>("SELECT value FROM settings WHERE key = ?"),
    listSettings: database.prepare<[], { key: string; value: string }>("SELECT key, value FROM settings ORDER BY key"),
    settingsBetween: database.prepare<[string, string], { key: string; value: string }>(
      "SELECT key, value FROM settings WHERE key >= ? AND key < ? ORDER BY key",
    ),
    libraryVersion: database.prepare<[], { version: number }>("SELECT version FROM library_version WHERE id = 1"),
    insertDataTable: database.prepare<[number, number, string | null, string | null, string, string, number]>(
      "INSERT INTO data_tables (document_id, unit_index, sheet, title, description, columns, row_count) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    insertDataRow: database.prepare<[number | bigint, number, string]>("INSERT INTO data_table_rows (table_id, idx, cells) VALUES (?, ?, ?)"),
    deleteDataTables: database.prepare<[number]>("DELETE FROM data_tables WHERE document_id = ?"),
    listDataTables: database.prepare<[], DataTableRow>(`${dataTableSelect} ORDER BY d.file_name COLLATE NOCASE, t.unit_index, t.id`),
    dataTablesOf: database.prepare<[number], DataTableRow>(`${dataTableSelect} WHERE t.document_id = ? ORDER BY t.unit_index, t.id`),
    dataTableById: database.prepare<[number], DataTableRow>(`${dataTableSelect} WHERE t.id = ?`),
    dataRows: database.prepare<[number], { cells: string }>("SELECT cells FROM data_table_rows WHERE table_id = ? ORDER BY idx"),
    setSetting: database.prepare<[string, string]>(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    ),
  };
}

/**
 * The synchronous better-sqlite3 engine behind SqliteStore: every statement runs here, and SqliteStore's async parts
 * wrap these methods (the promises resolve at once). Private to this file.
 */
class SqliteDatabase {
  readonly location: string;
  readonly #database: Database.Database;
  readonly #statements: ReturnType<typeof prepareStatements>;
  readonly #textSearch: SqliteTextSearch;
  /** Writes made through this connection, which `data_version` does not count. */
  #writes = 0;
  #statisticsCache: { version: string; value: CorpusStatistics } | undefined;

  /** Why sqlite-vec could not be loaded (vector search is then unavailable), or null. */
  readonly #vectorsUnavailable: string | null;

  constructor(database: Database.Database, location: string, vectorsUnavailable: string | null = null) {
    this.#database = database;
    this.location = location;
    this.#statements = prepareStatements(database);
    this.#textSearch = createSqliteTextSearch(database);
    this.#vectorsUnavailable = vectorsUnavailable;
  }

  findDocumentByHash(contentHash: string): DocumentRecord | undefined {
    const row = this.#statements.documentByHash.get(contentHash);
    return row === undefined ? undefined : toDocument(row);
  }

  findDocumentsByPath(sourcePath: string): DocumentRecord[] {
    return this.#statements.documentsByPath.all(sourcePath).map(toDocument);
  }

  replaceDocument(document: NewDocument, units: UnitText[], chunks: Chunk[], tables: NewDataTable[] = []): DocumentRecord {
    const statements = this.#statements;
    this.#writes++;
    const documentName = parse(document.fileName).name;
    const contexts = chunks.map((chunk) => contextFor(documentName, chunk));
    // A long document's passages are counted per stem on another core while this thread inserts the rows
    // (passage-terms-thread.ts); null: counted here, as each passage is inserted.
    const counting = countPassageStemsInWorker(chunks.map((chunk, index) => ({ text: chunk.text, context: contexts[index]! })));
    const write = this.#database.transaction((): number => {
      const termCounts = this.#textSearch.termCounts();
      termCounts.removeVersions(document.sourcePath, document.contentHash);
      // What was kept for an older version's content goes with it; the new version's own is kept.
      const removedHashes = statements.deleteVersions.all(document.sourcePath, document.contentHash).map((row) => row.content_hash);
      this.#deleteContentSettings(removedHashes.filter((hash) => hash !== document.contentHash));
      const inserted = statements.insertDocument.run(
        document.fileName,
        document.sourcePath,
        document.contentHash,
        document.format,
        document.title,
        document.byteSize,
        units.length,
        chunks.length,
        JSON.stringify(document.warnings),
        new Date().toISOString(),
      );
      const documentId = Number(inserted.lastInsertRowid);
      for (const unit of units) {
        statements.insertUnit.run(documentId, unit.index, unit.page, unit.section, unit.text);
      }
      chunks.forEach((chunk, index) => {
        const context = contexts[index]!;
        // Tokenised once here, for the token count and the term counts, unless the worker counts the terms.
        const textTokens = counting === null ? tokenize(chunk.text) : null;
        const chunkId = statements.insertChunk.run(
          documentId,
          chunk.ordinal,
          chunk.page,
          chunk.section,
          JSON.stringify(chunk.headingPath),
          chunk.kind,
          chunk.text,
          context,
          chunk.start,
          chunk.end,
          textTokens === null ? countTokens(chunk.text) : textTokens.length,
        ).lastInsertRowid;
        statements.indexChunk.run(chunkId, chunk.text, context);
        if (textTokens !== null) termCounts.add(chunk.text, context, textTokens);
      });
      if (counting !== null) {
        const counted = counting.take();
        if (counted !== null) termCounts.addCounted(counted);
        else chunks.forEach((chunk, index) => termCounts.add(chunk.text, contexts[index]!));
      }
      termCounts.save();
      this.#insertDataTables(documentId, tables);
      return documentId;
    });
    let documentId: number;
    try {
      // IMMEDIATE: take the write lock up front so a concurrent writer waits (busy_timeout) instead of failing.
      documentId = write.immediate();
    } catch (error) {
      throw new HearthError("STORE_FAILED", `${document.fileName}: could not save to the library (${describeError(error)})`, {
        subject: document.sourcePath,
        cause: error,
      });
    }
    const record = this.getDocument(documentId);
    if (record === undefined) {
      throw new HearthError("STORE_FAILED", `${document.fileName}: saved document ${documentId} could not be read back`, {
        subject: document.sourcePath,
      });
    }
    return record;
  }

  #insertDataTables(documentId: number, tables: NewDataTable[]): void {
    const statements = this.#statements;
    for (const table of tables) {
      const tableId = statements.insertDataTable.run(
        documentId,
        table.unitIndex,
        table.sheet,
        table.title,
        table.description,
        JSON.stringify(table.columns),
        table.rows.length,
      ).lastInsertRowid;
      table.rows.forEach((row, index) => statements.insertDataRow.run(tableId, index, JSON.stringify(row)));
    }
  }

  replaceDataTables(documentId: number, tables: NewDataTable[]): DataTableRecord[] {
    const statements = this.#statements;
    this.#writes++;
    const write = this.#database.transaction(() => {
      if (statements.documentById.get(documentId) === undefined) {
        throw new HearthError("NOT_FOUND", `document ${documentId} is not in the library`, { subject: String(documentId) });
      }
      statements.deleteDataTables.run(documentId);
      this.#insertDataTables(documentId, tables);
    });
    try {
      write.immediate();
    } catch (error) {
      if (error instanceof HearthError) throw error;
      throw new HearthError("STORE_FAILED", `document ${documentId}: could not save its tables (${describeError(error)})`, {
        subject: String(documentId),
        cause: error,
      });
    }
    return statements.dataTablesOf.all(documentId).map(toDataTable);
  }

  listDataTables(): DataTableRecord[] {
    return this.#statements.listDataTables.all().map(toDataTable);
  }

  getDataTable(tableId: number): DataTableRecord | undefined {
    const row = this.#statements.dataTableById.get(tableId);
    return row === undefined ? undefined : toDataTable(row);
  }

  getDataTableRows(tableId: number): string[][] {
    return this.#statements.dataRows.all(tableId).map((row) => JSON.parse(row.cells) as string[]);
  }

  listDocuments(): DocumentRecord[] {
    return this.#statements.listDocuments.all().map(toDocument);
  }

  getDocument(id: number): DocumentRecord | undefined {
    const row = this.#statements.documentById.get(id);
    return row === undefined ? undefined : toDocument(row);
  }

  removeDocument(id: number): boolean {
    // Units and chunks go by ON DELETE CASCADE; the chunks trigger removes their index entries.
    this.#writes++;
    const remove = this.#database.transaction(() => {
      const termCounts = this.#textSearch.termCounts();
      termCounts.removeDocuments([id]);
      termCounts.save();
      const removedHashes = this.#statements.deleteDocument.all(id).map((row) => row.content_hash);
      this.#deleteContentSettings(removedHashes);
      return removedHashes.length > 0;
    });
    return remove.immediate();
  }

  /** Deletes the settings kept for these contents (src/store/content-settings.ts), inside the caller's transaction. */
  #deleteContentSettings(contentHashes: string[]): void {
    for (const hash of contentHashes) for (const key of contentSettingKeys(hash)) this.#statements.deleteSetting.run(key);
  }

  getUnitTexts(documentId: number, pages?: readonly (number | null)[]): UnitText[] {
    const rows =
      pages === undefined
        ? this.#statements.unitTexts.all(documentId)
        : this.#statements.unitTextsOnPages.all(documentId, JSON.stringify(pages.filter((page) => page !== null)), pages.includes(null) ? 1 : 0);
    return rows.map((row) => ({ index: row.idx, page: row.page, section: row.section, text: row.text }));
  }

  getChunks(documentId: number): Chunk[] {
    return this.#statements.chunksOf.all(documentId).map((row) => ({
      ordinal: row.ordinal,
      page: row.page,
      section: row.section,
      headingPath: JSON.parse(row.heading_path) as string[],
      kind: row.kind as Chunk["kind"],
      text: row.text,
      start: row.start_offset,
      end: row.end_offset,
    }));
  }

  searchText(query: TextQuery): PassageHit[] {
    // The top k are found inside the index and bounded by the rarest terms (sqlite-text-search.ts); only they are read.
    const ranked = this.#textSearch.search(query, this.statistics().chunkCount);
    const passages = new Map(this.getPassages(ranked.map((hit) => hit.chunkId)).map((passage) => [passage.chunkId, passage]));
    return ranked.flatMap((hit) => {
      const passage = passages.get(hit.chunkId);
      return passage === undefined ? [] : [{ ...passage, score: hit.score }];
    });
  }

  getPassages(chunkIds: number[]): PassageRecord[] {
    if (chunkIds.length === 0) return [];
    const byId = new Map(this.#statements.passages.all(JSON.stringify(chunkIds.map(Number))).map((row) => [row.id, row]));
    const seen = new Set<number>();
    const passages: PassageRecord[] = [];
    // In the order asked for, each id once, unknown ids skipped.
    for (const id of chunkIds) {
      const row = byId.get(id);
      if (row === undefined || seen.has(id)) continue;
      seen.add(id);
      passages.push(toPassage(row));
    }
    return passages;
  }

  /**
   * Keys are the terms as given. A one-token term is read from the FTS vocabulary (its `doc` column counts
   * passages, in either column); a term of several tokens counts passages holding it as a phrase.
   */
  documentFrequencies(terms: string[]): Map<string, number> {
    // One indexed read per word (term_passages, kept with every write); a phrase is counted up to a cap.
    return this.#textSearch.documentFrequencies(terms, this.statistics().chunkCount);
  }

  statistics(): CorpusStatistics {
    // Counting every passage takes milliseconds on a large library and search asks on every query, so the figures
    // are kept until this connection writes or `data_version` shows another connection has committed.
    const version = `${String(this.#database.pragma("data_version", { simple: true }))}:${this.#writes}`;
    if (this.#statisticsCache?.version !== version) {
      const row = this.#statements.statistics.get();
      this.#statisticsCache = { version, value: { chunkCount: row?.chunks ?? 0, averageLength: row?.average ?? 0 } };
    }
    return this.#statisticsCache.value;
  }

  addExchange(sessionName: string, exchange: SessionExchange): void {
    const add = this.#database.transaction(() => {
      this.#statements.insertSession.run(sessionName, exchange.askedAt);
      const session = this.#statements.sessionByName.get(sessionName);
      if (!session) throw new HearthError("STORE_FAILED", `session "${sessionName}" could not be created`, { subject: sessionName });
      this.#statements.insertExchange.run(session.id, exchange.askedAt, exchange.answer.question, JSON.stringify(exchange.answer));
    });
    add.immediate();
  }

  listSessions(): SessionSummary[] {
    return this.#statements.listSessions.all().map((row) => ({
      name: row.name,
      createdAt: row.created_at,
      exchangeCount: row.exchange_count,
      updatedAt: row.updated_at,
    }));
  }

  getSession(name: string): Session | undefined {
    const session = this.#statements.sessionByName.get(name);
    if (!session) return undefined;
    return {
      name: session.name,
      createdAt: session.created_at,
      exchanges: this.#statements.exchanges.all(session.id).map((row) => ({
        askedAt: row.asked_at,
        answer: JSON.parse(row.answer) as Answer,
      })),
    };
  }

  removeSession(name: string): boolean {
    return this.#statements.deleteSession.run(name).changes > 0;
  }

  getSetting(key: string): unknown {
    const row = this.#statements.getSetting.get(key);
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  setSetting(key: string, value: unknown): void {
    this.#statements.setSetting.run(key, JSON.stringify(value));
  }

  /** Several settings in one transaction (values already validated). */
  setSettings(entries: readonly { key: string; value: unknown }[]): void {
    this.#database.transaction(() => {
      for (const entry of entries) this.#statements.setSetting.run(entry.key, JSON.stringify(entry.value));
    })();
  }

  settingsWithPrefix(family: SettingFamily<unknown>): { key: string; value: unknown }[] {
    const { from, to } = familyKeyRange(family);
    return this.#statements.settingsBetween.all(from, to).map((row) => ({ key: row.key, value: JSON.parse(row.value) as unknown }));
  }

  /** The counter the migration-7 triggers move in every writing transaction (one row). */
  version(): number {
    return this.#statements.libraryVersion.get()?.version ?? 0;
  }

  listSettings(): { key: string; value: unknown }[] {
    return this.#statements.listSettings.all().map((row) => ({ key: row.key, value: JSON.parse(row.value) as unknown }));
  }

  checkIntegrity(): IntegrityReport {
    const database = this.#database;
    const problems: string[] = [];
    const guard = (what: string, check: () => void): void => {
      try {
        check();
      } catch (error) {
        problems.push(`${what}: ${describeError(error)}`);
      }
    };
    guard("SQLite integrity check", () => {
      const rows = database.pragma("integrity_check") as { integrity_check: string }[];
      for (const row of rows) if (row.integrity_check !== "ok") problems.push(`SQLite integrity check: ${row.integrity_check}`);
    });
    guard("foreign key check", () => {
      const rows = database.pragma("foreign_key_check") as { table: string; rowid: number; parent: string }[];
      for (const row of rows) problems.push(`${row.table} row ${row.rowid} refers to a missing ${row.parent} row`);
    });
    // rank = 1 also compares the index with the external content table (chunks).
    guard("full-text index check", () => {
      database.prepare("INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('integrity-check', 1)").run();
    });
    // Each document records how many passages and units it has; the tables must hold exactly that many.
    for (const { table, column, noun, check } of [
      { table: "chunks", column: "chunk_count", noun: "passages", check: "chunk counts" },
      { table: "units", column: "unit_count", noun: "units", check: "unit counts" },
    ] as const) {
      guard(check, () => {
        const rows = database
          .prepare<[], { id: number; file_name: string; expected: number; actual: number }>(
            `SELECT d.id, d.file_name, d.${column} AS expected, (SELECT count(*) FROM ${table} t WHERE t.document_id = d.id) AS actual
               FROM documents d WHERE actual != d.${column}`,
          )
          .all();
        for (const row of rows) problems.push(`${row.file_name} (document ${row.id}): expected ${row.expected} ${noun}, found ${row.actual}`);
      });
    }
    guard("orphans", () => {
      const orphanChunks = database
        .prepare<[], { n: number }>("SELECT count(*) AS n FROM chunks WHERE document_id NOT IN (SELECT id FROM documents)")
        .get();
      if ((orphanChunks?.n ?? 0) > 0) problems.push(`${orphanChunks!.n} passages belong to no document`);
      const orphanUnits = database
        .prepare<[], { n: number }>("SELECT count(*) AS n FROM units WHERE document_id NOT IN (SELECT id FROM documents)")
        .get();
      if ((orphanUnits?.n ?? 0) > 0) problems.push(`${orphanUnits!.n} units belong to no document`);
    });
    guard("duplicates", () => {
      const hashes = database
        .prepare<[], { content_hash: string; n: number }>(
          "SELECT content_hash, count(*) AS n FROM documents GROUP BY content_hash HAVING n > 1",
        )
        .all();
      for (const row of hashes) problems.push(`${row.n} documents share content hash ${row.content_hash}`);
      const paths = database
        .prepare<[], { source_path: string; n: number }>(
          "SELECT source_path, count(*) AS n FROM documents GROUP BY source_path HAVING n > 1",
        )
        .all();
      for (const row of paths) problems.push(`${row.n} versions of ${row.source_path} are stored`);
    });
    let documents = 0;
    let chunks = 0;
    guard("counting", () => {
      documents = database.prepare<[], { n: number }>("SELECT count(*) AS n FROM documents").get()?.n ?? 0;
      chunks = database.prepare<[], { n: number }>("SELECT count(*) AS n FROM chunks").get()?.n ?? 0;
    });
    return { ok: problems.length === 0, problems, documents, chunks };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Embeddings (migration 4): vectors in a sqlite-vec vec0 table `chunk_vectors`, rowid = chunk id, cosine distance.

  #embeddingIndex(): { model: string; dimensions: number } | undefined {
    return this.#database.prepare<[], { model: string; dimensions: number }>("SELECT model, dimensions FROM embedding_index WHERE id = 1").get();
  }

  #requireVectors(): void {
    if (this.#vectorsUnavailable !== null) {
      throw new HearthError("STORE_FAILED", `${this.location}: vector search is unavailable (${this.#vectorsUnavailable})`, { subject: this.location });
    }
  }

  chunksWithoutEmbedding(model: string, limit: number): PassageRecord[] {
    const rows = this.#database
      .prepare<[string, number], PassageRow>(
        `SELECT ${passageColumns} FROM chunks c JOIN documents d ON d.id = c.document_id
           LEFT JOIN chunk_embeddings e ON e.chunk_id = c.id AND e.model = ?
          WHERE e.chunk_id IS NULL ORDER BY c.id LIMIT ?`,
      )
      .all(model, Math.max(0, Math.floor(limit)));
    return rows.map(toPassage);
  }

  saveEmbeddings(model: string, rows: { chunkId: number; vector: number[] }[]): void {
    if (rows.length === 0) return;
    this.#requireVectors();
    const dimensions = rows[0]!.vector.length;
    for (const row of rows) {
      if (row.vector.length !== dimensions || dimensions === 0 || !row.vector.every(Number.isFinite)) {
        throw new HearthError("INVALID_INPUT", `embeddings from ${model}: every vector must have ${dimensions} finite numbers (passage ${row.chunkId})`, {
          subject: model,
        });
      }
    }
    const database = this.#database;
    const save = database.transaction(() => {
      const index = this.#embeddingIndex();
      if (!index || index.model !== model || index.dimensions !== dimensions) {
        // A new model (or the first): its vectors are not comparable with the old ones, so start again.
        database.exec("DROP TABLE IF EXISTS chunk_vectors; DELETE FROM chunk_embeddings;");
        database.exec(`CREATE VIRTUAL TABLE chunk_vectors USING vec0 (embedding float[${Math.trunc(dimensions)}] distance_metric=cosine)`);
        database.prepare("INSERT OR REPLACE INTO embedding_index (id, model, dimensions) VALUES (1, ?, ?)").run(model, dimensions);
      } else {
        // Vectors of passages removed since the last save.
        database.exec("DELETE FROM chunk_vectors WHERE rowid NOT IN (SELECT chunk_id FROM chunk_embeddings)");
      }
      const exists = database.prepare<[number], { id: number }>("SELECT id FROM chunks WHERE id = ?");
      const removeVector = database.prepare<[bigint]>("DELETE FROM chunk_vectors WHERE rowid = ?");
      const insertVector = database.prepare<[bigint, Buffer]>("INSERT INTO chunk_vectors (rowid, embedding) VALUES (?, ?)");
      const mark = database.prepare<[number, string]>("INSERT OR REPLACE INTO chunk_embeddings (chunk_id, model) VALUES (?, ?)");
      for (const row of rows) {
        if (!exists.get(row.chunkId)) continue; // removed while it was being embedded
        removeVector.run(BigInt(row.chunkId));
        insertVector.run(BigInt(row.chunkId), Buffer.from(new Float32Array(row.vector).buffer));
        mark.run(row.chunkId, model);
      }
    });
    try {
      save.immediate();
    } catch (error) {
      if (error instanceof HearthError) throw error;
      throw new HearthError("STORE_FAILED", `${this.location}: could not save embeddings (${describeError(error)})`, { subject: this.location, cause: error });
    }
  }

  vectorSearch(model: string, vector: number[], limit: number, documentIds?: number[]): PassageHit[] {
    const count = Math.floor(Number(limit));
    if (!Number.isFinite(count) || count <= 0 || this.#vectorsUnavailable !== null) return [];
    const index = this.#embeddingIndex();
    if (!index || index.model !== model) return [];
    if (vector.length !== index.dimensions) {
      throw new HearthError("INVALID_INPUT", `a query vector of ${vector.length} numbers cannot be compared with ${model}'s ${index.dimensions}`, { subject: model });
    }
    if (documentIds !== undefined && documentIds.length === 0) return [];
    const total = this.#database.prepare<[], { n: number }>("SELECT count(*) AS n FROM chunk_embeddings").get()?.n ?? 0;
    // Nearest neighbours first, then drop stale vectors and other documents; ask for more when filtering.
    const k = Math.min(4096, documentIds === undefined ? count + 32 : Math.max(count * 8, 256), Math.max(total + 32, count));
    const neighbours = this.#database
      .prepare<[Buffer, number], { rowid: number; distance: number }>(
        "SELECT rowid, distance FROM chunk_vectors WHERE embedding MATCH ? AND k = ? ORDER BY distance",
      )
      .all(Buffer.from(new Float32Array(vector).buffer), k);
    const distances = new Map(neighbours.map((row) => [Number(row.rowid), row.distance]));
    const allowed = documentIds === undefined ? null : new Set(documentIds.map(Number));
    const embedded = this.#database.prepare<[number, string], { chunk_id: number }>("SELECT chunk_id FROM chunk_embeddings WHERE chunk_id = ? AND model = ?");
    const ids = neighbours.map((row) => Number(row.rowid)).filter((id) => embedded.get(id, model) !== undefined);
    return this.getPassages(ids)
      .filter((passage) => allowed === null || allowed.has(passage.documentId))
      .slice(0, count)
      .map((passage) => ({ ...passage, score: 1 - (distances.get(passage.chunkId) ?? 1) }));
  }

  embeddingStatus(): EmbeddingStatus {
    const index = this.#embeddingIndex();
    const embedded = index
      ? (this.#database.prepare<[string], { n: number }>("SELECT count(*) AS n FROM chunk_embeddings WHERE model = ?").get(index.model)?.n ?? 0)
      : 0;
    return {
      model: index?.model ?? null,
      dimensions: index?.dimensions ?? null,
      embedded,
      total: this.statistics().chunkCount,
      unavailable: this.#vectorsUnavailable,
    };
  }

  close(): void {
    if (!this.#database.open) return;
    try {
      this.#database.pragma("optimize");
    } finally {
      this.#database.close();
    }
  }
}

/**
 * The embedded Store: one SQLite file per library. better-sqlite3 is synchronous, so every method does its work at
 * once and returns a settled promise (an error becomes a rejection, as with a networked store).
 */
export class SqliteStore implements Store {
  readonly kind = "sqlite" as const;
  readonly location: string;
  readonly documents: DocumentStore;
  readonly passages: PassageIndex;
  readonly tables: TableStore;
  readonly sessions: SessionStore;
  readonly settings: SettingsStore;
  readonly #database: SqliteDatabase;

  constructor(database: Database.Database, location: string, vectorsUnavailable: string | null = null) {
    const library = new SqliteDatabase(database, location, vectorsUnavailable);
    this.#database = library;
    this.location = location;
    this.documents = {
      findByHash: async (contentHash) => library.findDocumentByHash(contentHash),
      findByPath: async (sourcePath) => library.findDocumentsByPath(sourcePath),
      replace: async (document, units, chunks, tables) => library.replaceDocument(document, units, chunks, tables),
      list: async () => library.listDocuments(),
      get: async (id) => library.getDocument(id),
      remove: async (id) => library.removeDocument(id),
      unitTexts: async (documentIds, pages) => new Map([...new Set(documentIds)].map((id) => [id, library.getUnitTexts(id, pages)])),
      chunks: async (documentId) => library.getChunks(documentId),
      checkIntegrity: async () => library.checkIntegrity(),
    };
    this.passages = {
      searchText: async (query) => library.searchText(query),
      getPassages: async (chunkIds) => library.getPassages(chunkIds),
      documentFrequencies: async (terms) => library.documentFrequencies(terms),
      statistics: async () => library.statistics(),
      withoutEmbedding: async (model, limit) => library.chunksWithoutEmbedding(model, limit),
      saveEmbeddings: async (model, rows) => library.saveEmbeddings(model, rows),
      vectorSearch: async (model, vector, limit, documentIds) => library.vectorSearch(model, vector, limit, documentIds),
      embeddingStatus: async () => library.embeddingStatus(),
    };
    this.tables = {
      replace: async (documentId, tables) => library.replaceDataTables(documentId, tables),
      list: async () => library.listDataTables(),
      get: async (tableId) => library.getDataTable(tableId),
      rows: async (tableId) => library.getDataTableRows(tableId),
    };
    this.sessions = {
      addExchange: async (sessionName, exchange) => library.addExchange(sessionName, exchange),
      list: async () => library.listSessions(),
      get: async (name) => library.getSession(name),
      remove: async (name) => library.removeSession(name),
    };
    this.settings = {
      get: async (setting) => parseSetting(setting, library.getSetting(setting.key)),
      getFamily: async (family) => parseFamily(family, library.settingsWithPrefix(family)),
      set: async (setting, value) => library.setSetting(setting.key, validateSetting(setting, value)),
      setMany: async (entries) => library.setSettings(entries.map((entry) => ({ key: entry.setting.key, value: validateSetting(entry.setting, entry.value) }))),
      list: async () => library.listSettings(),
    };
  }

  async version(): Promise<number> {
    return this.#database.version();
  }

  async close(): Promise<void> {
    this.#database.close();
  }
}

/**
 * Opens (creating if needed) the library database: `<dataDir>/hearth.db`, or `path` (":memory:" in tests).
 * Throws HearthError("STORE_FAILED") naming the file when it cannot be opened or is from a newer Hearth.
 */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  let location: string;
  try {
    if ("dataDir" in options) {
      mkdirSync(options.dataDir, { recursive: true });
      location = join(options.dataDir, databaseFileName);
    } else {
      location = options.path;
    }
  } catch (error) {
    const directory = "dataDir" in options ? options.dataDir : options.path;
    throw new HearthError("STORE_FAILED", `${directory}: cannot create the library folder (${describeError(error)})`, {
      subject: directory,
      cause: error,
    });
  }
  let database: Database.Database | undefined;
  try {
    database = new Database(location);
    database.pragma("busy_timeout = 5000");
    // WAL: readers never block the writer and a killed writer leaves the last committed state. NORMAL is
    // crash-safe under WAL (a power cut may lose the last commits, never consistency).
    database.pragma("journal_mode = WAL");
    database.pragma("synchronous = NORMAL");
    database.pragma("foreign_keys = ON");
    // sqlite-vec for embeddings; without it (an unsupported platform) everything but vector search still works.
    let vectorsUnavailable: string | null = null;
    try {
      loadSqliteVec(database);
    } catch (error) {
      vectorsUnavailable = `sqlite-vec could not be loaded: ${describeError(error)}`;
    }
    migrate(database, location);
    return new SqliteStore(database, location, vectorsUnavailable);
  } catch (error) {
    database?.close();
    if (error instanceof HearthError) throw error;
    throw new HearthError("STORE_FAILED", `${location}: cannot open the library database (${describeError(error)})`, {
      subject: location,
      cause: error,
    });
  }
}
