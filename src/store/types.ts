/**
 * The store contract, async and split into parts (see docs/architecture.md, "The Store contract, async and split").
 * SQLite (better-sqlite3, FTS5) is the embedded default; PostgreSQL serves teams and large libraries. Nothing outside
 * src/store/ speaks SQL. Every implementation passes the contract suites in store-contract.ts.
 */
import type { Chunk, UnitText } from "../chunking/types.ts";
import type { DocumentFormat } from "../loaders/types.ts";
import type { Session, SessionExchange } from "../answer/types.ts";
import type { z } from "zod";

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

/**
 * A setting kept with the library, typed by its zod schema. The module that owns a setting defines it (the profile
 * module the profile, identity the per-file identity tags), so the store layer never needs to know the value's
 * shape and nothing reads an `unknown`. A stored value that no longer parses reads as undefined.
 */
export interface SettingDefinition<Value> {
  key: string;
  schema: z.ZodType<Value>;
}

/**
 * A family of settings sharing a key prefix and a schema (one per document, such as "identity:<file name>"), read
 * all at once with `SettingsStore.getFamily` rather than one `get` per document.
 */
export interface SettingFamily<Value> {
  /** The keys' common beginning, not empty ("identity:"). */
  prefix: string;
  schema: z.ZodType<Value>;
}

/** Documents, their unit texts and chunks: the library's content. */
export interface DocumentStore {
  findByHash(contentHash: string): Promise<DocumentRecord | undefined>;
  findByPath(sourcePath: string): Promise<DocumentRecord[]>;
  /**
   * Writes a document, its unit texts, its chunks (and its data-set tables) in one transaction, removing every
   * earlier version with the same source path (and the settings kept for an earlier version's other content) in that
   * same transaction. A crash leaves either the old or the new version, never both.
   */
  replace(document: NewDocument, units: UnitText[], chunks: Chunk[], tables?: NewDataTable[]): Promise<DocumentRecord>;
  list(): Promise<DocumentRecord[]>;
  get(id: number): Promise<DocumentRecord | undefined>;
  /**
   * Removes a document by id with everything derived from it, the settings kept for its content included
   * (src/store/content-settings.ts), in one transaction; returns whether one was removed.
   */
  remove(id: number): Promise<boolean>;
  /**
   * The stored unit texts (pages, sheets) of several documents at once, for quote verification, in unit order. Given
   * `pages`, only each document's units on those pages (null: its page-less units): an answer reads the pages it
   * cites, not every page of every document it may cite (1,500 rows an answer on a large library).
   */
  unitTexts(documentIds: number[], pages?: readonly (number | null)[]): Promise<Map<number, UnitText[]>>;
  /** A document's stored chunks in order (for copying a library to another store: `hearth migrate`). */
  chunks(documentId: number): Promise<Chunk[]>;
  checkIntegrity(): Promise<IntegrityReport>;
}

/** The passage index: full text, document frequencies on the scorer's stems, and vectors. */
export interface PassageIndex {
  /** Full-text candidates, the top `limit` chosen inside the index, ranked by the backend's BM25. */
  searchText(query: TextQuery): Promise<PassageHit[]>;
  /** Passages by id in the order asked for, each once, unknown ids skipped (for expanding neighbours). */
  getPassages(chunkIds: number[]): Promise<PassageRecord[]>;
  /**
   * Number of passages each term occurs in (a one-word term by its Porter stem, as `tokenize` and the scorer stem
   * it; a term of several words as a phrase). One call per question with every term. Keys are the terms as given.
   */
  documentFrequencies(terms: string[]): Promise<Map<string, number>>;
  statistics(): Promise<CorpusStatistics>;
  /** Passages with no vector from `model` yet (new or changed documents, or all after a model change). */
  withoutEmbedding(model: string, limit: number): Promise<PassageRecord[]>;
  /**
   * Saves vectors from `model`. The first save fixes the dimension; a different model or dimension replaces every
   * stored vector (so a model change re-embeds the library).
   */
  saveEmbeddings(model: string, rows: { chunkId: number; vector: number[] }[]): Promise<void>;
  /** Nearest passages to `vector` among those embedded by `model`; score = cosine similarity. */
  vectorSearch(model: string, vector: number[], limit: number, documentIds?: number[]): Promise<PassageHit[]>;
  embeddingStatus(): Promise<EmbeddingStatus>;
  /**
   * Builds ahead, in the background (an ingestion worker after a batch), what a user's first search of these phrases
   * would otherwise build and wait for: PostgreSQL's champion lists of a large library, for the `phrases` given
   * (e.g. the glossary's terms) and the library's `frequentWords` commonest words (not those in `except`, e.g. stop
   * words). Lists still fresh are kept. Returns how many were built. Left out by a store with nothing to build ahead.
   */
  prepareSearch?(options: {
    phrases: readonly string[];
    frequentWords: number;
    /**
     * How many of the phrases searches have kept lists for (fresh or stale) are prepared too, the costliest first:
     * after a batch has moved the library past the stale share, each would otherwise be rebuilt by the next search
     * that meets it, while a user waits.
     */
    keptPhrases: number;
    except: readonly string[];
    /** Stops between two lists (a job came in, the worker is stopping): `stopped` says some were left to build. */
    signal?: AbortSignal;
  }): Promise<{ built: number; fresh: number; stopped: boolean }>;
}

/** Typed data-set tables (CSV files, XLSX sheets) kept beside their passages, for counts, totals and rankings. */
export interface TableStore {
  /**
   * Replaces the typed tables of a stored document (for libraries ingested before tables were kept); documents
   * written by `DocumentStore.replace` get theirs in the same transaction. Returns the stored tables.
   */
  replace(documentId: number, tables: NewDataTable[]): Promise<DataTableRecord[]>;
  /** Every typed table in the library, without rows, ordered by file name then sheet. */
  list(): Promise<DataTableRecord[]>;
  get(tableId: number): Promise<DataTableRecord | undefined>;
  /** The rows of one table in file order; empty for an unknown id. */
  rows(tableId: number): Promise<string[][]>;
}

/** Named working sessions: the questions asked and the answers given, for follow-ups and reports. */
export interface SessionStore {
  /** Appends an exchange to a named session, creating the session on first use. */
  addExchange(sessionName: string, exchange: SessionExchange): Promise<void>;
  list(): Promise<SessionSummary[]>;
  get(name: string): Promise<Session | undefined>;
  remove(name: string): Promise<boolean>;
}

/** Small JSON values kept with the library (the organisation profile, the model provider, identity tags). */
export interface SettingsStore {
  /** The value, or undefined when unset or when the stored value no longer matches the schema. */
  get<Value>(setting: SettingDefinition<Value>): Promise<Value | undefined>;
  /**
   * Every setting whose key starts with the family's prefix, in one read: keyed by the rest of the key (the file
   * name of "identity:<file name>"); values that no longer match the schema are left out.
   */
  getFamily<Value>(family: SettingFamily<Value>): Promise<Map<string, Value>>;
  /** Validates against the schema (HearthError "INVALID_INPUT" naming the key when it fails), then saves. */
  set<Value>(setting: SettingDefinition<Value>, value: Value): Promise<void>;
  /**
   * Saves several settings in one transaction (the library version moves once, not once per setting): every value
   * validated first (HearthError "INVALID_INPUT" naming the first key refused), and none saved when one is refused.
   */
  setMany<Value>(entries: readonly { setting: SettingDefinition<Value>; value: Value }[]): Promise<void>;
  /** Every setting as stored, ordered by key (for copying a library to another store: `hearth migrate`). */
  list(): Promise<{ key: string; value: unknown }[]>;
}

/**
 * One library (one workspace's documents, passages, tables, sessions and settings). Every method is async: SQLite
 * resolves at once, PostgreSQL awaits the network. Callers batch (one `documentFrequencies` per question, one
 * `unitTexts` for every cited document), never a store call per sentence.
 */
export interface Store {
  /** "sqlite" or "postgres", for `hearth doctor` and messages. */
  readonly kind: StoreKind;
  /** Where the library is, for messages: a file path, or a PostgreSQL URL without its password plus the workspace. */
  readonly location: string;
  readonly documents: DocumentStore;
  readonly passages: PassageIndex;
  readonly tables: TableStore;
  readonly sessions: SessionStore;
  readonly settings: SettingsStore;
  /**
   * The library version: a number that moves with every committed change to documents (and so their passages and
   * units), data tables or settings, whichever process or connection made it, and stays put on reads, sessions and
   * embeddings. One small read, so that a cache of anything derived from the library (its document list, identities,
   * title stems) is checked once per question: read the version first, then the data, and key the data on it.
   */
  version(): Promise<number>;
  close(): Promise<void>;
}

export type StoreKind = "sqlite" | "postgres";

/**
 * How to open a library: a folder (SQLite, `<folder>/hearth.db`) or a `postgres://` URL, and for PostgreSQL the
 * workspace whose rows every statement is bound to (the CLI's own library is workspace "default").
 */
export interface StoreOptions {
  url: string;
  workspaceId?: string;
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
