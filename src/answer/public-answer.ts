/**
 * The public shape of an answer, shared by `hearth ask --json` and the web API: exactly
 * {question, answer, citations: [{n, file, page, section, quote}], mode}. Internal fields stay out.
 */
import type { Answer, Citation } from "./types.ts";

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
  };
}
