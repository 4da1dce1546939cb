/** Small pieces of the CLI's English: counts with the right plural, units per format, dates people read. */
import type { DocumentFormat } from "../loaders/types.ts";

/** "1 page", "2 pages", "1 passage"; `plural` for irregular words ("1 authority", "2 authorities"). */
export function count(amount: number, singular: string, plural = `${singular}s`): string {
  return `${amount} ${amount === 1 ? singular : plural}`;
}

/** What a document's units are called: slides for PPTX, pages for PDF, parts (sheets, sections) otherwise. */
export function unitWord(format: DocumentFormat): string {
  return format === "pptx" ? "slide" : format === "pdf" ? "page" : "part";
}

// Made on first use: building an Intl formatter costs ~15 ms, and most commands never show a date.
let formats: { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat } | undefined;
function dateFormats(): { date: Intl.DateTimeFormat; time: Intl.DateTimeFormat } {
  formats ??= {
    date: new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" }),
    time: new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false }),
  };
  return formats;
}

/**
 * "today at 14:05", "yesterday at 09:30", "3 Nov 2026 at 16:20", in this machine's time zone; the ISO text back
 * when it is not a date.
 */
export function humanDate(iso: string, now: Date = new Date()): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const day = (date: Date): string => `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  const time = dateFormats().time.format(when);
  if (day(when) === day(now)) return `today at ${time}`;
  if (day(when) === day(yesterday)) return `yesterday at ${time}`;
  return `${dateFormats().date.format(when)} at ${time}`;
}

/** Said after a file `hearth ingest` or `hearth worker` read again because an older chunking version cut it. */
export const rereadReason = "unchanged, read again for this version's better passages";
