/**
 * Figures in normal form, so that a claim and a passage agree however each writes them: "04/10/2019" and
 * "4 October 2019" are the same date, "two" and "2" the same number, "£1,440" and "1440" the same amount, "fifth"
 * counts as 5. A derived figure (a difference, sum, ratio or percentage change) is accepted when the claim shows
 * its operands and they recompute it.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";

const wordsSchema = z.object({ numbers: z.record(z.string(), z.number()), months: z.array(z.string()).length(12), ignoredInClaims: z.array(z.string()) });
const data = wordsSchema.parse(JSON.parse(readFileSync(new URL("./figure-words.json", import.meta.url), "utf8")));
const monthIndex = new Map(data.months.map((month, index) => [month, index + 1]));
const monthPattern = data.months.map((month) => `${month}(?:${month === "may" ? "" : "[a-z]*"})`).join("|");
const numberWordPattern = new RegExp(`\\b(${Object.keys(data.numbers).join("|")})\\b`, "gi");

const pad = (n: number): string => String(n).padStart(2, "0");
const fullYear = (year: string): number => (year.length === 2 ? 2000 + Number(year) : Number(year));

export interface Figures {
  /** Numbers in normal form ("1440", "55.2"); years of dates included. */
  numbers: Set<string>;
  /** Dates: "2019-10-04" (full) and "10-04" (day and month, for a claim that leaves the year out). */
  dates: Set<string>;
}

/** "1,440.50" -> "1440.5"; "038" -> "38". */
export function normalNumber(text: string): string {
  const value = Number(text.replace(/,/g, ""));
  return Number.isFinite(value) ? String(value) : text;
}

/**
 * The figures of a text. `claim` leaves out words that are rarely figures in prose ("one of the homes").
 */
export function figuresIn(text: string, options: { claim?: boolean; numberWords?: boolean } = {}): Figures {
  const numbers = new Set<string>();
  const dates = new Set<string>();
  const addDate = (day: number, month: number, year: number | null): void => {
    if (day < 1 || day > 31 || month < 1 || month > 12) return;
    dates.add(`${pad(month)}-${pad(day)}`);
    if (year !== null) {
      dates.add(`${year}-${pad(month)}-${pad(day)}`);
      numbers.add(String(year));
    }
  };
  let rest = text.toLowerCase();
  // 04/10/2019, 4.10.19 (British order: day first).
  rest = rest.replace(/\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b/g, (_whole, day: string, month: string, year: string) => {
    addDate(Number(day), Number(month), fullYear(year));
    return " ";
  });
  // 4 October 2019, 4th October, 1st of April 2012.
  rest = rest.replace(new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?(?: of)? (${monthPattern})\\b(?:,? (\\d{4}))?`, "g"), (_whole, day: string, month: string, year?: string) => {
    addDate(Number(day), monthIndex.get(month.slice(0, 3)) ?? 0, year ? Number(year) : null);
    return " ";
  });
  // October 4, 2019.
  rest = rest.replace(new RegExp(`\\b(${monthPattern}) (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4})\\b`, "g"), (_whole, month: string, day: string, year: string) => {
    addDate(Number(day), monthIndex.get(month.slice(0, 3)) ?? 0, Number(year));
    return " ";
  });
  for (const match of rest.matchAll(/\d[\d,]*(?:\.\d+)?/g)) {
    const figure = match[0].replace(/[,.]+$/, "");
    if (figure.length > 0) numbers.add(normalNumber(figure));
  }
  for (const match of options.numberWords === false ? [] : rest.matchAll(numberWordPattern)) {
    const word = match[1]!.toLowerCase();
    if (options.claim && data.ignoredInClaims.includes(word)) continue;
    const value = data.numbers[word];
    if (value !== undefined) numbers.add(String(value));
  }
  return { numbers, dates };
}

/** Figures of `claim` not found among `evidence`'s. */
export function missingFigures(claim: Figures, evidence: Figures): { numbers: string[]; dates: string[] } {
  return {
    numbers: [...claim.numbers].filter((figure) => !evidence.numbers.has(figure)),
    dates: [...claim.dates].filter((date) => !evidence.dates.has(date)),
  };
}

const decimalsOf = (figure: string): number => figure.split(".")[1]?.length ?? 0;

/**
 * Whether `figure` recomputes from two of `operands` (figures the claim shows and the passages hold): a difference,
 * a sum, a ratio, a share or a percentage change, rounded to the figure's own precision.
 */
export function derivable(figure: string, operands: string[]): boolean {
  const target = Number(figure);
  if (!Number.isFinite(target)) return false;
  const tolerance = 0.5 * 10 ** -decimalsOf(figure) + 1e-9;
  const values = [...new Set(operands)].map(Number).filter((value) => Number.isFinite(value) && value !== target);
  for (const a of values) {
    for (const b of values) {
      if (a === b) continue;
      const candidates = [a - b, a + b, b === 0 ? NaN : a / b, b === 0 ? NaN : (a / b) * 100, b === 0 ? NaN : ((a - b) / b) * 100];
      if (candidates.some((value) => Number.isFinite(value) && Math.abs(value - target) <= tolerance)) return true;
    }
  }
  return false;
}
