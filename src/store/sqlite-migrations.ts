/**
 * Ordered schema migrations for the SQLite store. The applied version lives in `PRAGMA user_version` (part of the
 * database header, so it commits or rolls back with the migration's own transaction). Append new steps; never edit
 * a released one.
 */
import type Database from "better-sqlite3";
import { HearthError } from "../errors/hearth-error.ts";

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/*
 * Tokenisation: `porter unicode61 remove_diacritics 2` with the default separators. Porter stemming lets
 * "placements" match "placement"; the vocabulary table therefore holds stems, and documentFrequencies() takes
 * Porter stems (src/retrieval/tokenize.ts produces the same ones). "£2,278" indexes as "2" "278" and
 * "55.2%" as "55" "2"; the currency and percent signs are dropped. We deliberately do not add tokenchars such as
 * ",.%£": that would make "2,278" and "2278" or "55.2%" and "55.2" different tokens and break matches between a
 * figure written in a question and the same figure in a table. Callers (and searchText) match figures as phrases:
 * the query word "£2,278" becomes the phrase "2 278", which only matches the two tokens adjacent and in order.
 *
 * `chunks_fts` is an external-content index over `chunks` (the text is stored once). Column `context` holds the
 * file name (without extension), heading path and section so that a query naming a council or a section title
 * matches; searchText weights it below `text` in bm25(). The store indexes each new chunk itself in the same
 * transaction (an AFTER INSERT trigger measured 3x slower: ~34 against ~11 µs a passage); triggers remove and
 * re-index on delete and update, so ON DELETE CASCADE from `documents` keeps the index in step.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: "documents, units, chunks, FTS5 index and vocabulary",
    sql: `
      CREATE TABLE documents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file_name TEXT NOT NULL,
        source_path TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        format TEXT NOT NULL,
        title TEXT,
        byte_size INTEGER NOT NULL,
        unit_count INTEGER NOT NULL,
        chunk_count INTEGER NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL
      );
      CREATE INDEX documents_source_path ON documents (source_path);

      CREATE TABLE units (
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        page INTEGER,
        section TEXT,
        text TEXT NOT NULL,
        PRIMARY KEY (document_id, idx)
      ) WITHOUT ROWID;

      -- AUTOINCREMENT: a chunk id is never reused, so an id held by a caller (a cited passage) cannot later point
      -- at a different passage.
      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        page INTEGER,
        section TEXT,
        heading_path TEXT NOT NULL DEFAULT '[]',
        kind TEXT NOT NULL CHECK (kind IN ('text', 'table', 'notes')),
        text TEXT NOT NULL,
        context TEXT NOT NULL DEFAULT '',
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        token_count INTEGER NOT NULL,
        UNIQUE (document_id, ordinal)
      );

      CREATE VIRTUAL TABLE chunks_fts USING fts5 (
        text, context,
        content = 'chunks', content_rowid = 'id',
        tokenize = 'porter unicode61 remove_diacritics 2'
      );
      CREATE VIRTUAL TABLE chunks_vocab USING fts5vocab (chunks_fts, 'row');

      CREATE TRIGGER chunks_after_delete AFTER DELETE ON chunks BEGIN
        INSERT INTO chunks_fts (chunks_fts, rowid, text, context) VALUES ('delete', old.id, old.text, old.context);
      END;
      CREATE TRIGGER chunks_after_update AFTER UPDATE OF text, context ON chunks BEGIN
        INSERT INTO chunks_fts (chunks_fts, rowid, text, context) VALUES ('delete', old.id, old.text, old.context);
        INSERT INTO chunks_fts (rowid, text, context) VALUES (new.id, new.text, new.context);
      END;
    `,
  },
  {
    version: 2,
    description: "working sessions: named lists of question-and-answer exchanges",
    sql: `
      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
      );
      -- The answer is kept whole as JSON (text, citations with file, page and quote) so a report can be rebuilt
      -- exactly as the user saw it, even after the documents change.
      CREATE TABLE exchanges (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        asked_at TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL
      );
      CREATE INDEX exchanges_session ON exchanges (session_id, id);
    `,
  },
  {
    version: 3,
    description: "library settings: small JSON values by key (organisation profile, workspace preferences)",
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    description: "embeddings: which passages have a vector for which model (the vectors live in a sqlite-vec table)",
    // The vec0 table itself (chunk_vectors) is created on the first save, because its dimension is the model's;
    // a model change drops and re-creates it. Rows here go with their passage (ON DELETE CASCADE); a vector whose
    // row is gone is ignored by searches and swept on the next save.
    sql: `
      CREATE TABLE embedding_index (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        model TEXT NOT NULL,
        dimensions INTEGER NOT NULL
      );
      CREATE TABLE chunk_embeddings (
        chunk_id INTEGER PRIMARY KEY REFERENCES chunks (id) ON DELETE CASCADE,
        model TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    description: "typed tables of data sets (CSV files, XLSX sheets): columns with types and units, rows as cells",
    // Rows are kept as JSON arrays of display strings, one row per record, so a table of 100k rows is read in one
    // ordered scan; the tables layer parses numbers once per table and caches them. Ids are never reused
    // (AUTOINCREMENT), so a cached table or a citation holding an id cannot come to mean another table.
    sql: `
      CREATE TABLE data_tables (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        unit_index INTEGER NOT NULL,
        sheet TEXT,
        title TEXT,
        description TEXT NOT NULL DEFAULT '',
        columns TEXT NOT NULL,
        row_count INTEGER NOT NULL
      );
      CREATE INDEX data_tables_document ON data_tables (document_id);
      CREATE TABLE data_table_rows (
        table_id INTEGER NOT NULL REFERENCES data_tables (id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        cells TEXT NOT NULL,
        PRIMARY KEY (table_id, idx)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    description: "passages per stem, so document frequencies are one indexed read at any library size",
    // Kept by the store in each write's own transaction (src/store/sqlite-text-search.ts counts the stems of the
    // passages it writes and removes); filled here from the index for a library written before it existed.
    sql: `
      CREATE TABLE term_passages (
        stem TEXT PRIMARY KEY,
        passages INTEGER NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO term_passages (stem, passages) SELECT term, doc FROM chunks_vocab;
    `,
  },
  {
    version: 7,
    description: "library version: one counter row moved by every change to documents, data tables or settings",
    // Triggers, so the counter moves in the writing transaction itself, whichever connection or process writes and
    // whatever code path does it; caches of library-derived values key on it (PRAGMA data_version is per connection).
    // Deleting a document removes its passages, units and tables with it; every passage write inserts a document row.
    sql: `
      CREATE TABLE library_version (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
      );
      INSERT INTO library_version (id, version) VALUES (1, 0);
      CREATE TRIGGER library_version_document_insert AFTER INSERT ON documents
        BEGIN UPDATE library_version SET version = version + 1 WHERE id = 1; END;
      CREATE TRIGGER library_version_document_update AFTER UPDATE ON documents
        BEGIN UPDATE library_version SET version = version + 1 WHERE id = 1; END;
      CREATE TRIGGER library_version_document_delete AFTER DELETE ON documents
        BEGIN UPDATE library_version SET version = version + 1 WHERE id = 1; END;
      CREATE TRIGGER library_version_table_insert AFTER INSERT ON data_tables
        BEGIN UPDATE library_version SET version = version + 1 WHERE id = 1; END;
      CREATE TRIGGER library_version_table_delete AFTER DELETE ON data_tables
        BEGIN UPDATE library_version SET version = version + 1 WHERE id = 1; END;
      CREATE TRIGGER library_version_setting_insert AFTER INSERT ON settings
        BEGIN UPDATE library_version SET version = version + 1 WHERE id = 1; END;
      CREATE TRIGGER library_version_setting_update AFTER UPDATE ON settings
        BEGIN UPDATE library_version SET version = version + 1 WHERE id = 1; END;
      CREATE TRIGGER library_version_setting_delete AFTER DELETE ON settings
        BEGIN UPDATE library_version SET version = version + 1 WHERE id = 1; END;
    `,
  },
  {
    version: 8,
    description: "champion lists: a common phrase's best passages by its own BM25, kept per library version",
    // A phrase of common words ("children in care") costs a positional join of lists of most of the library each time
    // FTS5 evaluates it; its best passages are computed once and reused until the library changes (sqlite-text-search.ts).
    // No foreign key: a list naming a removed passage is harmless (unknown ids are skipped) and refreshed with the library.
    sql: `
      CREATE TABLE phrase_champions (
        phrase TEXT PRIMARY KEY,
        library_version INTEGER NOT NULL,
        passages INTEGER NOT NULL,
        hits TEXT NOT NULL
      );
    `,
  },
  {
    version: 9,
    description: "phrase counts: how many passages hold a phrase, kept per library version",
    // Counting a phrase of common words reads their position lists (10-140 ms at 1M passages); see sqlite-text-search.ts.
    sql: `
      CREATE TABLE phrase_passages (
        phrase TEXT PRIMARY KEY,
        library_version INTEGER NOT NULL,
        library_passages INTEGER NOT NULL,
        passages INTEGER NOT NULL
      );
    `,
  },
  {
    version: 10,
    description: "rare phrases' postings: every passage holding a rare phrase with its own BM25, kept per library version",
    // A large library's rare side is summed from these lists instead of an FTS5 OR whose bm25() costs about 1 µs a
    // matching passage (sqlite-text-search.ts, `rareListRows`). Valid only at the library version they were read at.
    sql: `
      CREATE TABLE IF NOT EXISTS phrase_postings (
        phrase TEXT PRIMARY KEY,
        library_version INTEGER NOT NULL,
        passages INTEGER NOT NULL,
        ids BLOB NOT NULL,
        scores BLOB NOT NULL
      );
    `,
  },
];

export const latestSchemaVersion: number = migrations.reduce((latest, migration) => Math.max(latest, migration.version), 0);

export function schemaVersion(database: Database.Database): number {
  return database.pragma("user_version", { simple: true }) as number;
}

/**
 * Brings the schema up to `latestSchemaVersion` in one IMMEDIATE transaction (so two processes opening a new
 * library at once cannot both migrate). Refuses a database written by a newer Hearth.
 */
export function migrate(database: Database.Database, location: string, steps: readonly Migration[] = migrations): number {
  const latest = steps.reduce((highest, migration) => Math.max(highest, migration.version), 0);
  const apply = database.transaction(() => {
    const current = schemaVersion(database);
    if (current > latest) {
      throw new HearthError(
        "STORE_FAILED",
        `${location}: library schema version ${current} is newer than this Hearth supports (${latest}); upgrade Hearth to open it`,
        { subject: location },
      );
    }
    const pending = [...steps].filter((migration) => migration.version > current).sort((a, b) => a.version - b.version);
    for (const migration of pending) {
      database.exec(migration.sql);
      // user_version cannot be bound as a parameter; the value is an integer from our own table.
      database.pragma(`user_version = ${Math.trunc(migration.version)}`);
    }
    return schemaVersion(database);
  });
  return apply.immediate();
}
