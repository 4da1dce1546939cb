/**
 * The wording shared by every report format, so the Markdown, DOCX and PDF reports say the same
 * thing in the same order. The shape follows the session reports users already know
 * (`# … Session Report`, `## QUESTION`, `## RESPONSE`, `### SOURCES CONSULTED`, `- File: …, Page: …`).
 */
import type { Citation, Session } from "../answer/types.ts";

export interface ReportOptions {
  /** When the report was produced; defaults to now. Tests pass a fixed date. */
  generatedAt?: Date;
}

export const questionHeading = "QUESTION";
export const responseHeading = "RESPONSE";
export const sourcesHeading = "SOURCES CONSULTED";
export const markerNote = "Every [n] marker refers to the numbered source below it.";

/** Collapses runs of whitespace (including newlines) to one space. */
export function singleLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Ends with "Session Report" so the title keeps the shape users know. */
export function reportTitle(session: Session): string {
  const name = singleLine(session.name);
  return name === "" ? "Hearth Strategy Session Report" : `${name} — Hearth Strategy Session Report`;
}

/** UK date and time, fixed to London time so the report reads the same wherever it is generated. */
export function formatGeneratedAt(date: Date): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/London" }).format(date);
}

/** One short line under the title: when, how many exchanges, and how to read the markers. */
export function headerLine(session: Session, options: ReportOptions): string {
  const count = session.exchanges.length;
  const exchanges = `${count} ${count === 1 ? "exchange" : "exchanges"}`;
  return `Generated ${formatGeneratedAt(options.generatedAt ?? new Date())} · ${exchanges} · ${markerNote}`;
}

/** Citations in the order of their `[n]` numbers. */
export function orderedCitations(citations: readonly Citation[]): Citation[] {
  return [...citations].sort((left, right) => left.n - right.n);
}

/** `File: X, Page: N`, or `File: X, Section: S` when there is no page, or just `File: X`. */
export function sourceLine(citation: Citation): string {
  const file = `File: ${singleLine(citation.file)}`;
  if (citation.page !== null) return `${file}, Page: ${citation.page}`;
  const section = citation.section === null ? "" : singleLine(citation.section);
  return section === "" ? file : `${file}, Section: ${section}`;
}

/** `[n] “verbatim quote”` on one line. */
export function quoteLine(citation: Citation): string {
  const quote = singleLine(citation.quote);
  return quote === "" ? `[${citation.n}] (no quote recorded)` : `[${citation.n}] “${quote}”`;
}

/** Said in place of a source list when an answer cites nothing (a refusal, usually). */
export const noSourcesLine = "None: the library holds no source for this answer.";
