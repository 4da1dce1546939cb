/**
 * Reading a cell as the value it shows: numbers as written in statistics ("1,234", "£2,278", "55.2%", "−31"),
 * dates (31/03/2025, 2025-03-31) and reporting periods (2025, "2023-24", DfE's "202324"). Suppression markers
 * ("c", "z", "x", "..") are missing values, never zero.
 */
import { tableVocabulary } from "./vocabulary.ts";

const numberPattern = /^[-−–+]?\s*£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*%?$/u;

export function isMissing(cell: string): boolean {
  return tableVocabulary().missingMarkers.has(cell.trim().toLowerCase());
}

/** The number a cell shows, or null (empty, suppressed or not a number). */
export function parseNumber(cell: string): number | null {
  const text = cell.trim();
  if (text.length === 0 || !numberPattern.test(text)) return null;
  const negative = /^[-−–]/u.test(text);
  const value = Number(text.replace(/[^\d.]/g, ""));
  if (!Number.isFinite(value)) return null;
  return negative ? -value : value;
}

/** An ISO date (yyyy-mm-dd) for a cell written as a day, or null. */
export function parseDate(cell: string): string | null {
  const text = cell.trim();
  const british = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (british) {
    const [, day = "", month = "", year = ""] = british;
    if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) return null;
    return `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+Z?)?$/.exec(text);
  return iso ? `${iso[1]}-${iso[2]}-${iso[3]}` : null;
}

/** A reporting period that sorts: "2025" -> 2025, "2023-24" / "2023/24" / "202324" -> 2023.5 (the year it starts, and a half). */
export function parsePeriod(cell: string): number | null {
  const text = cell.trim();
  if (/^(19|20)\d{2}$/.test(text)) return Number(text);
  const split = /^((?:19|20)\d{2})\s*[-/–]\s*(\d{2}|\d{4})$/.exec(text) ?? /^((?:19|20)\d{2})((?:19|20)?\d{2})$/.exec(text);
  if (split) {
    const start = Number(split[1]);
    const end = Number(split[2]);
    const endYear = end < 100 ? Math.floor(start / 100) * 100 + end : end;
    if (endYear === start + 1) return start + 0.5;
  }
  return null;
}

/** A period as people write it back: 2025, or 2023-24. */
export function formatPeriod(period: number): string {
  if (Number.isInteger(period)) return String(period);
  const start = Math.floor(period);
  return `${start}-${String((start + 1) % 100).padStart(2, "0")}`;
}

/** A figure for an answer: thousands separated, at most two decimals, no binary noise. */
export function formatFigure(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return rounded.toLocaleString("en-GB", { maximumFractionDigits: 2 });
}
