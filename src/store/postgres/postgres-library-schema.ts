/**
 * The PostgreSQL library schema (migration component "library"). Every table carries `workspace_id text NOT NULL`,
 * first in its primary key, and rows refer to each other through composite foreign keys (workspace_id, id), so a
 * passage can only belong to a document of its own workspace. Ids come from identity columns and are never reused.
 *
 * Full text: `library_chunks.terms` is a tsvector written by the store from the same Porter stems SQLite's FTS5 and
 * the reranker use (see postgres-text-search.ts): the passage text at weight A, positions 1..n, then the context
 * (file name, headings, section) at weight B after a one-position gap, so a phrase never spans the two. A GIN
 * index finds candidates, which the search scores as FTS5's bm25() does from the per-passage stem counts. `library_stems` counts, per workspace,
 * the passages holding each stem (FTS5's vocabulary table), and `library_statistics` the passages and tokens; both
 * are kept up to date inside each write transaction.
 */
import { stemListsBackfill } from "./postgres-document-stems.ts";
import type { PostgresMigration } from "./postgres-migrations.ts";

export const libraryComponent = "library";

/**
 * The weighted number of times a phrase of several stems occurs in a passage (1 in the text, the context weight in
 * the context), read from the tsvector's positions: FTS5's phrase hit count. One-stem phrases are counted from the
 * passage's stem counts instead (text_counts, context_counts), which is much cheaper per candidate.
 */
const phraseFrequencyFunction = `
CREATE FUNCTION hearth_phrase_frequency(vector tsvector, parts text[], context_weight double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $body$
  WITH entries AS MATERIALIZED (
    SELECT u.lexeme, p.position::integer AS position, p.weight
      FROM unnest(vector) AS u(lexeme, positions, weights)
      CROSS JOIN LATERAL unnest(u.positions, u.weights) AS p(position, weight)
     WHERE u.lexeme = ANY (parts)
  )
  SELECT coalesce(sum(CASE WHEN e.weight = 'A' THEN 1.0 ELSE context_weight END), 0)
    FROM entries e
   WHERE e.lexeme = parts[1]
     AND NOT EXISTS (
       SELECT 1 FROM generate_series(2, cardinality(parts)) AS k
        WHERE NOT EXISTS (SELECT 1 FROM entries f WHERE f.lexeme = parts[k] AND f.position = e.position + k - 1))
$body$`;

export const libraryMigrations: PostgresMigration[] = [
  {
    version: 1,
    description: "library: documents, units, passages with their stems, stem counts, data tables, sessions, settings",
    sql: `
      CREATE TABLE library_documents (
        workspace_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        file_name text NOT NULL,
        source_path text NOT NULL,
        content_hash text NOT NULL,
        format text NOT NULL,
        title text,
        byte_size bigint NOT NULL,
        unit_count integer NOT NULL,
        chunk_count integer NOT NULL,
        warnings jsonb NOT NULL DEFAULT '[]',
        ingested_at text NOT NULL,
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, content_hash)
      );
      CREATE INDEX library_documents_source_path ON library_documents (workspace_id, source_path);

      CREATE TABLE library_units (
        workspace_id text NOT NULL,
        document_id bigint NOT NULL,
        idx integer NOT NULL,
        page integer,
        section text,
        text text NOT NULL,
        PRIMARY KEY (workspace_id, document_id, idx),
        FOREIGN KEY (workspace_id, document_id) REFERENCES library_documents (workspace_id, id) ON DELETE CASCADE
      );

      CREATE TABLE library_chunks (
        workspace_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        document_id bigint NOT NULL,
        ordinal integer NOT NULL,
        page integer,
        section text,
        heading_path jsonb NOT NULL DEFAULT '[]',
        kind text NOT NULL CHECK (kind IN ('text', 'table', 'notes')),
        text text NOT NULL,
        context text NOT NULL DEFAULT '',
        start_offset integer NOT NULL,
        end_offset integer NOT NULL,
        -- Tokens of the text (statistics().averageLength) and of text and context (BM25's passage length).
        token_count integer NOT NULL,
        indexed_length integer NOT NULL,
        terms tsvector NOT NULL,
        -- How often each stem occurs in the text and in the context ({"stem": n}), for BM25 without reading positions.
        text_counts jsonb NOT NULL,
        context_counts jsonb NOT NULL,
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, document_id, ordinal),
        FOREIGN KEY (workspace_id, document_id) REFERENCES library_documents (workspace_id, id) ON DELETE CASCADE
      );
      -- With btree_gin (PostgreSQL contrib, a trusted extension) the full-text index leads with the workspace, so a
      -- search reads only its own workspace's postings however many libraries share the database.
      DO $do$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'btree_gin') THEN
          BEGIN
            CREATE EXTENSION IF NOT EXISTS btree_gin;
          EXCEPTION WHEN insufficient_privilege THEN
            NULL;
          END;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gin') THEN
          CREATE INDEX library_chunks_terms ON library_chunks USING gin (workspace_id, terms);
        ELSE
          CREATE INDEX library_chunks_terms ON library_chunks USING gin (terms);
        END IF;
      END
      $do$;

      CREATE TABLE library_stems (
        workspace_id text NOT NULL,
        stem text NOT NULL,
        passages integer NOT NULL,
        PRIMARY KEY (workspace_id, stem)
      );

      CREATE TABLE library_statistics (
        workspace_id text NOT NULL PRIMARY KEY,
        chunk_count bigint NOT NULL,
        text_tokens bigint NOT NULL,
        indexed_tokens bigint NOT NULL
      );

      CREATE TABLE library_data_tables (
        workspace_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        document_id bigint NOT NULL,
        unit_index integer NOT NULL,
        sheet text,
        title text,
        description text NOT NULL DEFAULT '',
        columns jsonb NOT NULL,
        row_count integer NOT NULL,
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, document_id) REFERENCES library_documents (workspace_id, id) ON DELETE CASCADE
      );
      CREATE INDEX library_data_tables_document ON library_data_tables (workspace_id, document_id);

      CREATE TABLE library_data_rows (
        workspace_id text NOT NULL,
        table_id bigint NOT NULL,
        idx integer NOT NULL,
        cells jsonb NOT NULL,
        PRIMARY KEY (workspace_id, table_id, idx),
        FOREIGN KEY (workspace_id, table_id) REFERENCES library_data_tables (workspace_id, id) ON DELETE CASCADE
      );

      CREATE TABLE library_sessions (
        workspace_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        name text NOT NULL,
        created_at text NOT NULL,
        PRIMARY KEY (workspace_id, id),
        UNIQUE (workspace_id, name)
      );
      -- The answer is kept whole as the JSON text the user saw, so a report can be rebuilt exactly.
      CREATE TABLE library_exchanges (
        workspace_id text NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        session_id bigint NOT NULL,
        asked_at text NOT NULL,
        question text NOT NULL,
        answer text NOT NULL,
        PRIMARY KEY (workspace_id, id),
        FOREIGN KEY (workspace_id, session_id) REFERENCES library_sessions (workspace_id, id) ON DELETE CASCADE
      );
      CREATE INDEX library_exchanges_session ON library_exchanges (workspace_id, session_id, id);

      CREATE TABLE library_settings (
        workspace_id text NOT NULL,
        key text NOT NULL,
        value jsonb NOT NULL,
        PRIMARY KEY (workspace_id, key)
      );

      -- The model whose vectors a workspace holds (the vectors themselves need pgvector: library-vectors).
      CREATE TABLE library_embedding_models (
        workspace_id text NOT NULL PRIMARY KEY,
        model text NOT NULL,
        dimensions integer NOT NULL
      );
      ${phraseFrequencyFunction};
    `,
  },
  {
    version: 2,
    description: "library version: a counter per workspace moved by every change to documents, data tables or settings",
    // Moved by an explicit statement at the end of each writing transaction (postgres-version.ts), not by a trigger
    // on the first row written: the row lock is then held only for the commit, so concurrent ingest workers do not
    // queue behind one another for a whole document's write.
    sql: `
      CREATE TABLE library_versions (
        workspace_id text NOT NULL PRIMARY KEY,
        version bigint NOT NULL
      );
    `,
  },
];

/**
 * Search state beside the library (component "library-search", applied after "library"): `passage_generation` on the
 * statistics row is bumped by every write that changes passages (in the write's transaction), and
 * `library_phrase_counts` keeps each multi-word phrase's passage count with the generation it was counted at. A
 * phrase's count (its IDF) is exact and costs a recheck of every passage holding all its words (seconds for common
 * words at 100k passages), so it is counted once per library state, not once per search and answer.
 */
export const librarySearchComponent = "library-search";

export const librarySearchMigrations: PostgresMigration[] = [
  {
    version: 1,
    description: "library search: a passage generation on the statistics row, phrase counts kept per generation",
    sql: `
      ALTER TABLE library_statistics ADD COLUMN passage_generation bigint NOT NULL DEFAULT 0;
      CREATE TABLE library_phrase_counts (
        workspace_id text NOT NULL,
        phrase text NOT NULL,
        generation bigint NOT NULL,
        passages integer NOT NULL,
        PRIMARY KEY (workspace_id, phrase)
      );
    `,
  },
  {
    version: 2,
    description: "library search: champion lists of common phrases, and the library size a kept count was taken at",
    // A large library (championFrom passages or more, postgres-champion-search.ts) keeps a phrase's count and its
    // champion list while its passage count moves by less than championStaleShare, not only for one generation:
    // library_passages says at what size they were taken. Strengths are BM25 without the IDF, so the list's order
    // holds at any IDF and a score is the IDF now times the strength.
    sql: `
      ALTER TABLE library_phrase_counts ADD COLUMN library_passages bigint;
      CREATE TABLE library_phrase_champions (
        workspace_id text NOT NULL,
        phrase text NOT NULL,
        generation bigint NOT NULL,
        library_passages bigint NOT NULL,
        passages integer NOT NULL,
        chunk_ids bigint[] NOT NULL,
        strengths double precision[] NOT NULL,
        PRIMARY KEY (workspace_id, phrase)
      );
    `,
  },
  {
    version: 3,
    description: "library search: a large document's passages per stem",
    // postgres-document-stems.ts; the documents of 200 passages or more (listStemsFrom then) get theirs here, in blocks
    // of 128 ordinals (stemBlockSize).
    sql: `
      ALTER TABLE library_documents ADD COLUMN stem_blocks integer;
      CREATE TABLE library_document_stems (
        workspace_id text NOT NULL,
        document_id bigint NOT NULL,
        block integer NOT NULL,
        stem text NOT NULL,
        ordinals integer[] NOT NULL,
        PRIMARY KEY (workspace_id, document_id, block, stem),
        FOREIGN KEY (workspace_id, document_id) REFERENCES library_documents (workspace_id, id) ON DELETE CASCADE
      );
      ${stemListsBackfill(200, 128)}
    `,
  },
];

/** Applied only where the pgvector extension is available (component "library-vectors"). */
export const libraryVectorComponent = "library-vectors";

export const libraryVectorMigrations: PostgresMigration[] = [
  {
    version: 1,
    description: "library vectors: pgvector, one vector per passage and workspace, cosine distance",
    // An unconstrained vector column: the dimension is the model's, fixed per workspace by library_embedding_models.
    sql: `
      CREATE EXTENSION IF NOT EXISTS vector;
      CREATE TABLE library_vectors (
        workspace_id text NOT NULL,
        chunk_id bigint NOT NULL,
        model text NOT NULL,
        embedding vector NOT NULL,
        PRIMARY KEY (workspace_id, chunk_id),
        FOREIGN KEY (workspace_id, chunk_id) REFERENCES library_chunks (workspace_id, id) ON DELETE CASCADE
      );
      CREATE INDEX library_vectors_model ON library_vectors (workspace_id, model);
    `,
  },
];
