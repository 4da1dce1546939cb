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
  /** What the library lacks for this question, as the model stated it ("Not in the library: ..."). */
  gaps?: string[];
  /**
   * Hearth's own notes (a fallback, left-out sentences, out-of-date sources): shown in a panel of their own, never
   * inside the answer or a drafted email's text.
   */
  notes?: string[];
  /** What the check of a model's reply changed, sentence by sentence. */
  check?: AnswerCheck;
  /** The question as answered when it was a follow-up ("what about Kent?" → "... in Kent ..."). */
  resolvedQuestion?: string;
  /** Set on a toolkit draft: which template and inputs made it, so that a follow-up in the session can revise it. */
  draft?: DraftRecord;
}

export interface AnswerCheckChange {
  /** The sentence as the model wrote it. */
  text: string;
  outcome: "removed" | "repaired" | "trimmed";
  /** Why, in words a user can read. */
  reason: string;
  /** What the answer holds instead (null when removed). */
  kept: string | null;
}

export interface AnswerCheck {
  changes: AnswerCheckChange[];
  /** Sentences kept as framing or summary: not from the library. */
  framing: string[];
  /** The model's reply was cut off at its length limit (and could not be continued). */
  truncated: boolean;
}

export interface DraftRecord {
  template: string;
  version: number;
  la?: string;
  about?: string;
  /** The home's options the draft used (ageRange, beds, specialism). */
  options?: Record<string, string>;
  /** Revisions asked for so far ("shorter", "more on therapy", "as a letter"). */
  style?: { length?: "shorter" | "longer"; focus?: string; form?: "letter" };
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
