/**
 * The store contract. SQLite (better-sqlite3, FTS5) is the embedded default; a PostgreSQL implementation for
 * team servers will follow, so nothing outside src/store/ speaks SQL. Every implementation passes
 * store-contract.ts.
 */
import type { Chunk, UnitText } from "../chunking/types.ts";
import type { DocumentFormat } from "../loaders/types.ts";
import type { Session, SessionExchange } from "../answer/types.ts";

export interface DocumentRecord {
  id: number;
  /** Base name as the user had it, spaces kept. */
  fileName: string;
  /** Absolute path it was ingested from (identity for "the same file, changed"). */
  sourcePath: string;
  /** SHA-256 of the bytes, hex. */
  contentHash: string;
  format: DocumentFormat;
  title: string | null;
  byteSize: number;
  unitCount: number;
  chunkCount: number;
  warnings: string[];
  ingestedAt: string;
}

export interface NewDocument {
  fileName: string;
  sourcePath: string;
  contentHash: string;
  format: DocumentFormat;
  title: string | null;
  byteSize: number;
  warnings: string[];
}

/**
 * A structured full-text query, so that callers never write a backend's query syntax.
 * The query matches a passage holding any of the `terms`; each term is a phrase (one or more words).
 */
export interface TextQuery {
  terms: { phrase: string[]; weight: number }[];
  limit: number;
  /** Restrict to these document ids. */
  documentIds?: number[];
}

export interface PassageRecord {
  chunkId: number;
  documentId: number;
  fileName: string;
  format: DocumentFormat;
  title: string | null;
  page: number | null;
  section: string | null;
  headingPath: string[];
  kind: Chunk["kind"];
  text: string;
  start: number;
  end: number;
  ordinal: number;
}

export interface PassageHit extends PassageRecord {
  /** Backend relevance, higher is better (BM25 negated for SQLite). */
  score: number;
}

export interface IntegrityReport {
  ok: boolean;
  problems: string[];
  documents: number;
  chunks: number;
}

export interface CorpusStatistics {
  chunkCount: number;
  /** Mean passage length in tokens. */
  averageLength: number;
}

export interface SessionSummary {
  name: string;
  createdAt: string;
  exchangeCount: number;
  /** When the last exchange was added (or the session created). */
  updatedAt: string;
}

/** A column's kind of value, found from its cells at ingest. */
export type DataColumnType = "number" | "date" | "category" | "text";

export interface DataColumn {
  /** The header as the file has it (whitespace collapsed). */
  name: string;
  type: DataColumnType;
  /** A unit the header or cells state ("%", "£", "per 10,000", "year"), or null. */
  unit: string | null;
}

/** A table of a data set (a CSV file, one XLSX sheet) as rows of typed columns, kept beside its passages. */
export interface NewDataTable {
  /** The unit (sheet) of the document it comes from, so a citation can name the sheet. */
  unitIndex: number;
  /** The sheet name (XLSX), or null. */
  sheet: string | null;
  /** The title row above the header, when there is one. */
  title: string | null;
  /** Title, notes and source lines around the table, kept as the table's description. */
  description: string;
  columns: DataColumn[];
  /** Cells as the file displays them; `rows[i][j]` belongs to `columns[j]`. */
  rows: string[][];
}

export interface DataTableRecord {
  id: number;
  documentId: number;
  fileName: string;
  unitIndex: number;
  sheet: string | null;
  title: string | null;
  description: string;
  columns: DataColumn[];
  rowCount: number;
}

export interface Store {
  findDocumentByHash(contentHash: string): DocumentRecord | undefined;
  findDocumentsByPath(sourcePath: string): DocumentRecord[];
  /**
   * Writes a document, its unit texts and its chunks in one transaction, removing every earlier version with the
   * same source path in that same transaction. A crash leaves either the old or the new version, never both.
   */
  replaceDocument(document: NewDocument, units: UnitText[], chunks: Chunk[], tables?: NewDataTable[]): DocumentRecord;
  listDocuments(): DocumentRecord[];
  getDocument(id: number): DocumentRecord | undefined;
  /** Removes a document by id; returns whether one was removed. */
  removeDocument(id: number): boolean;
  /** The stored text of one unit, for quote verification. */
  getUnitTexts(documentId: number): UnitText[];
  /** Full-text candidates ranked by the backend's BM25. */
  searchText(query: TextQuery): PassageHit[];
  /** Passages by id (for expanding neighbours). */
  getPassages(chunkIds: number[]): PassageRecord[];
  /** Number of passages each term occurs in, for IDF weights in reranking. */
  documentFrequencies(terms: string[]): Map<string, number>;
  statistics(): CorpusStatistics;
  /** Appends an exchange to a named working session, creating the session on first use. */
  addExchange(sessionName: string, exchange: SessionExchange): void;
  listSessions(): SessionSummary[];
  getSession(name: string): Session | undefined;
  removeSession(name: string): boolean;
  /**
   * Replaces the typed tables of a stored document (for libraries ingested before tables were kept); documents
   * written by `replaceDocument` get theirs in the same transaction. Returns the stored tables.
   */
  replaceDataTables(documentId: number, tables: NewDataTable[]): DataTableRecord[];
  /** Every typed table in the library, without rows, ordered by file name then sheet. */
  listDataTables(): DataTableRecord[];
  getDataTable(tableId: number): DataTableRecord | undefined;
  /** The rows of one table in file order; empty for an unknown id. */
  getDataTableRows(tableId: number): string[][];
  /** A small JSON value kept with the library (the organisation profile, preferences); undefined when unset. */
  getSetting(key: string): unknown;
  setSetting(key: string, value: unknown): void;
  checkIntegrity(): IntegrityReport;
  /** Passages with no vector from `model` yet (new or changed documents, or all after a model change). */
  chunksWithoutEmbedding(model: string, limit: number): PassageRecord[];
  /**
   * Saves vectors from `model`. The first save fixes the dimension; a different model or dimension replaces every
   * stored vector (so a model change re-embeds the library).
   */
  saveEmbeddings(model: string, rows: { chunkId: number; vector: number[] }[]): void;
  /** Nearest passages to `vector` among those embedded by `model`; score = cosine similarity. */
  vectorSearch(model: string, vector: number[], limit: number, documentIds?: number[]): PassageHit[];
  embeddingStatus(): EmbeddingStatus;
  close(): void;
}

export interface EmbeddingStatus {
  /** The model whose vectors are stored, or null before the first embedding. */
  model: string | null;
  dimensions: number | null;
  embedded: number;
  total: number;
  /** Why vector search is unavailable (sqlite-vec did not load), or null. */
  unavailable: string | null;
}
