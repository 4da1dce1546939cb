/** What an answer is, whichever answerer (extractive, or a language model later) produced it. */

export interface Citation {
  /** The number used in the answer's `[n]` markers, from 1. */
  n: number;
  /** The file's base name as the user had it. */
  file: string;
  /** 1-based PDF page or PPTX slide; null for formats without pages. */
  page: number | null;
  section: string | null;
  /** Verbatim text of the cited page (checked before the answer is returned). */
  quote: string;
  /**
   * A figure computed from a data set's typed table: the query (src/tables/table-query.ts, validated again
   * whenever it is opened) whose matching rows are the evidence. `quote` is the first of those rows.
   */
  table?: { tableId: number; query: Record<string, unknown>; rowCount: number };
}

export interface Answer {
  question: string;
  /** Markdown-light text: paragraphs, "- " bullet lines, "### " theme headings; sentences carry `[n]` markers. */
  answer: string;
  citations: Citation[];
  mode: "extractive" | "llm";
  /** True when the library does not hold the answer and the text says so. */
  refused: boolean;
}

export interface SessionExchange {
  answer: Answer;
  askedAt: string;
}

export interface Session {
  name: string;
  createdAt: string;
  exchanges: SessionExchange[];
}
