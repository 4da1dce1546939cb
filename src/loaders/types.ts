/**
 * The loader contract: one `DocumentLoader` per format. A loader turns bytes into units (a PDF page, a PPTX
 * slide, a spreadsheet sheet, or the whole of a page-less document) made of typed blocks. Page numbers are kept
 * from here to the citation; pages are never joined into one string.
 */
import type { Result } from "../errors/hearth-error.ts";
import type { HearthError } from "../errors/hearth-error.ts";

export type DocumentFormat = "pdf" | "pptx" | "docx" | "html" | "markdown" | "text" | "xlsx" | "csv";

export type ContentBlock =
  | { kind: "heading"; level: number; text: string }
  | { kind: "paragraph"; text: string }
  /** Rows keep their header names: `header[i]` names `row[i]`. */
  | { kind: "table"; header: string[]; rows: string[][]; caption?: string }
  /** PPTX speaker notes. */
  | { kind: "notes"; text: string };

export interface DocumentUnit {
  /** 1-based PDF page or PPTX slide; null for formats without pages (cite by section). */
  page: number | null;
  /** A sheet name (XLSX), or the section a page-less unit starts in; null when none. */
  section: string | null;
  blocks: ContentBlock[];
}

export interface LoadedDocument {
  format: DocumentFormat;
  /** Document title when the file states one (PDF metadata, first heading, HTML <title>). */
  title: string | null;
  units: DocumentUnit[];
  /** Non-fatal problems a user should see (e.g. pages that need OCR but tesseract is missing). */
  warnings: string[];
}

export interface LoadLimits {
  /** Largest input file accepted, bytes. */
  maxFileBytes: number;
  /** Largest total uncompressed size of a ZIP container (DOCX, PPTX, XLSX), bytes. */
  maxInflatedBytes: number;
  /** Largest ratio of uncompressed to compressed size for any ZIP entry. */
  maxCompressionRatio: number;
  /** Longest time one file may take to extract, ms. */
  timeoutMs: number;
}

export interface LoadContext {
  /** Path on disk, used in messages. */
  path: string;
  /** The file's base name as the user had it. */
  fileName: string;
  limits: LoadLimits;
  /** OCR settings for scanned pages. */
  ocr: { enabled: boolean; command: string; language: string };
}

export interface DocumentLoader {
  readonly format: DocumentFormat;
  /** File name extensions (lower case, with the dot) this loader handles. */
  readonly extensions: readonly string[];
  /** True when the bytes look like this format (magic numbers), to catch mislabelled files. */
  sniff(bytes: Uint8Array): boolean;
  load(bytes: Uint8Array, context: LoadContext): Promise<Result<LoadedDocument, HearthError>>;
}

export const defaultLoadLimits: LoadLimits = {
  maxFileBytes: 200 * 1024 * 1024,
  maxInflatedBytes: 300 * 1024 * 1024,
  maxCompressionRatio: 200,
  timeoutMs: 120_000,
};
