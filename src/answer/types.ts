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
}

export interface Answer {
  question: string;
  /** Markdown-light text: paragraphs, "- " bullet lines, "### " theme headings; sentences carry `[n]` markers. */
  answer: string;
  citations: Citation[];
  mode: "extractive" | "llm";
  /** True when the library does not hold the answer and the text says so. */
  refused: boolean;
  /** Set on a toolkit draft: which template and inputs made it, so that a follow-up in the session can revise it. */
  draft?: DraftRecord;
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
