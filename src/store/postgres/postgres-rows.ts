/** Rows of the PostgreSQL library tables and their conversion to the contract's records. */
import type { Chunk } from "../../chunking/types.ts";
import type { DocumentFormat } from "../../loaders/types.ts";
import type { DataColumn, DataTableRecord, DocumentRecord, PassageRecord } from "../types.ts";

/** bigint and count(*) arrive as strings from node-postgres; every id and count here is far below 2^53. */
export type Bigint = string | number;

export interface DocumentRow {
  id: Bigint;
  file_name: string;
  source_path: string;
  content_hash: string;
  format: string;
  title: string | null;
  byte_size: Bigint;
  unit_count: number;
  chunk_count: number;
  warnings: string[];
  ingested_at: string;
}

export const documentColumns =
  "id, file_name, source_path, content_hash, format, title, byte_size, unit_count, chunk_count, warnings, ingested_at";

export function toDocument(row: DocumentRow): DocumentRecord {
  return {
    id: Number(row.id),
    fileName: row.file_name,
    sourcePath: row.source_path,
    contentHash: row.content_hash,
    format: row.format as DocumentFormat,
    title: row.title,
    byteSize: Number(row.byte_size),
    unitCount: row.unit_count,
    chunkCount: row.chunk_count,
    warnings: row.warnings,
    ingestedAt: row.ingested_at,
  };
}

export interface PassageRow {
  id: Bigint;
  document_id: Bigint;
  ordinal: number;
  page: number | null;
  section: string | null;
  heading_path: string[];
  kind: string;
  text: string;
  start_offset: number;
  end_offset: number;
  file_name: string;
  format: string;
  title: string | null;
}

/** Passage columns from `library_chunks c` joined to `library_documents d`. */
export const passageColumns = `c.id, c.document_id, c.ordinal, c.page, c.section, c.heading_path, c.kind, c.text,
  c.start_offset, c.end_offset, d.file_name, d.format, d.title`;

export const passageJoin = "library_chunks c JOIN library_documents d ON d.workspace_id = c.workspace_id AND d.id = c.document_id";

export function toPassage(row: PassageRow): PassageRecord {
  return {
    chunkId: Number(row.id),
    documentId: Number(row.document_id),
    fileName: row.file_name,
    format: row.format as DocumentFormat,
    title: row.title,
    page: row.page,
    section: row.section,
    headingPath: row.heading_path,
    kind: row.kind as Chunk["kind"],
    text: row.text,
    start: row.start_offset,
    end: row.end_offset,
    ordinal: row.ordinal,
  };
}

export interface DataTableRow {
  id: Bigint;
  document_id: Bigint;
  file_name: string;
  unit_index: number;
  sheet: string | null;
  title: string | null;
  description: string;
  columns: DataColumn[];
  row_count: number;
}

export const dataTableSelect = `SELECT t.id, t.document_id, d.file_name, t.unit_index, t.sheet, t.title, t.description, t.columns, t.row_count
  FROM library_data_tables t JOIN library_documents d ON d.workspace_id = t.workspace_id AND d.id = t.document_id`;

export function toDataTable(row: DataTableRow): DataTableRecord {
  return {
    id: Number(row.id),
    documentId: Number(row.document_id),
    fileName: row.file_name,
    unitIndex: row.unit_index,
    sheet: row.sheet,
    title: row.title,
    description: row.description,
    columns: row.columns,
    rowCount: row.row_count,
  };
}

/** PostgreSQL text cannot hold NUL; a stray one (a broken extraction) becomes U+FFFD, keeping offsets valid. */
export function storable(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "\uFFFD") : text;
}

/** A JS number from an id given by a caller, or null when it cannot be one (so it matches nothing). */
export function asId(value: unknown): number | null {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : null;
}
