/**
 * The Markdown session report, in the shape of the reports users already keep: the answer text is
 * written as it is, and each source line gains its `[n]` number and verbatim quote underneath.
 */
import { textWithNotes } from "../answer/answer-notes.ts";
import type { Session, SessionExchange } from "../answer/types.ts";
import type { ReportOptions } from "./report-text.ts";
import {
  headerLine,
  noSourcesLine,
  orderedCitations,
  questionHeading,
  quoteLine,
  reportTitle,
  responseHeading,
  sourceLine,
  sourcesHeading,
} from "./report-text.ts";

/**
 * Markdown passes raw HTML through to whatever renders it, and documents, file names and questions are not ours:
 * angle brackets are written as entities, so `<script>` or `<img onerror>` from a document shows as text.
 */
export function escapeMarkdownHtml(text: string): string {
  return text.replace(/&(?=#?\w+;)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function renderMarkdownReport(session: Session, options: ReportOptions = {}): string {
  const parts = [`# ${escapeMarkdownHtml(reportTitle(session))}\n\n${escapeMarkdownHtml(headerLine(session, options))}\n\n`];
  for (const exchange of session.exchanges) parts.push(exchangeMarkdown(exchange));
  return parts.join("");
}

function exchangeMarkdown(exchange: SessionExchange): string {
  const { answer } = exchange;
  const citations = orderedCitations(answer.citations);
  const sources =
    citations.length === 0
      ? [`- ${noSourcesLine}`]
      : citations.flatMap((citation) => [`- ${escapeMarkdownHtml(sourceLine(citation))}`, `  > ${escapeMarkdownHtml(quoteLine(citation))}`]);
  // Blank lines as in the seed reports, including the two before the sources heading.
  return [
    `## ${questionHeading}`,
    escapeMarkdownHtml(answer.question.trim()),
    "",
    `## ${responseHeading}`,
    escapeMarkdownHtml(textWithNotes(answer).trim()),
    "",
    "",
    `### ${sourcesHeading}`,
    ...sources,
    "",
    "---",
    "",
    "",
  ].join("\n");
}
