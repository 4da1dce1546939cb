/**
 * Which chunking a document's passages came from. Raise `chunkingVersion` whenever a change to chunking (or to what
 * feeds it: headings, page furniture, continuations) changes the passages a document gives: `hearth ingest` then reads
 * again, once, every document of the library that an older version chunked, though its bytes are unchanged, so a
 * library kept across an upgrade gets the better passages instead of keeping the old ones until the file changes.
 *
 * 2: statutes' schedules, parts and annexes rank above the headings under them and head every passage under them
 * (src/chunking/document-structure.json). 1: everything before (a document with no record was chunked by it).
 * The store records each document's version (src/ingest/ingest.ts, `chunkedBySetting`).
 */
export const chunkingVersion = 2;
