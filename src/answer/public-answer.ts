/**
 * The public shape of an answer, shared by `hearth ask --json` and the web API:
 * {question, answer, citations: [{n, file, page, section, quote}], mode, gaps, notes}, plus `resolvedQuestion` when
 * a follow-up was rewritten and `check` (what the check of a model's reply removed, re-cited or trimmed, and why)
 * when a model answered. Internal fields stay out.
 */
import type { Answer, AnswerCheck, Citation } from "./types.ts";

export interface PublicCitation {
  n: number;
  file: string;
  page: number | null;
  section: string | null;
  quote: string;
}

export interface PublicAnswer {
  question: string;
  answer: string;
  citations: PublicCitation[];
  mode: Answer["mode"];
  /** What the library lacks, as the model stated it. */
  gaps: string[];
  /** Hearth's own notes: never part of the answer's (or a draft's) text. */
  notes: string[];
  resolvedQuestion?: string;
  check?: AnswerCheck;
}

export function publicCitation(citation: Citation): PublicCitation {
  return { n: citation.n, file: citation.file, page: citation.page, section: citation.section, quote: citation.quote };
}

export function publicAnswer(answer: Answer): PublicAnswer {
  return {
    question: answer.question,
    answer: answer.answer,
    citations: answer.citations.map(publicCitation),
    mode: answer.mode,
    gaps: answer.gaps ?? [],
    notes: answer.notes ?? [],
    ...(answer.resolvedQuestion ? { resolvedQuestion: answer.resolvedQuestion } : {}),
    ...(answer.check ? { check: answer.check } : {}),
  };
}
