/**
 * Quote verification: a citation's quote must be verbatim text of the page it cites. Whitespace may differ (a
 * sentence wrapped over two lines in the page), so the check compares whitespace-normalised text and maps the
 * match back to the exact span of the page, which becomes the quote.
 */
import type { UnitText } from "../chunking/types.ts";
import type { Store } from "../store/types.ts";

interface NormalisedText {
  text: string;
  /** offsets[i] is the index in the original text of normalised character i. */
  offsets: number[];
}

/** Collapses every run of whitespace to one space (and trims), remembering where each character came from. */
export function normaliseWhitespace(original: string): NormalisedText {
  const parts: string[] = [];
  const offsets: number[] = [];
  let previousEnd = -1;
  // Whole runs of non-space characters at a time: pages can be megabytes (a spreadsheet is one unit).
  for (const match of original.matchAll(/\S+/g)) {
    const start = match.index ?? 0;
    if (previousEnd >= 0) {
      parts.push(" ");
      offsets.push(previousEnd);
    }
    parts.push(match[0]);
    for (let index = 0; index < match[0].length; index++) offsets.push(start + index);
    previousEnd = start + match[0].length;
  }
  return { text: parts.join(""), offsets };
}

export interface QuoteSpan {
  start: number;
  end: number;
  /** The exact text of the page over [start, end). */
  quote: string;
}

/** Finds `quote` in `pageText` ignoring differences in whitespace; returns the page's own span or null. */
export function locateQuote(pageText: string, quote: string, normalisedPage?: NormalisedText): QuoteSpan | null {
  const needle = normaliseWhitespace(quote).text;
  if (needle.length === 0) return null;
  const page = normalisedPage ?? normaliseWhitespace(pageText);
  const at = page.text.indexOf(needle);
  if (at < 0) return null;
  const start = page.offsets[at];
  const last = page.offsets[at + needle.length - 1];
  if (start === undefined || last === undefined) return null;
  const end = last + 1;
  return { start, end, quote: pageText.slice(start, end) };
}

export interface QuoteVerifier {
  /**
   * Reads the unit texts of these documents from the store, in one call for all not read before. `verify` and
   * `pageText` are synchronous (they run inside per-sentence loops) and answer only for documents loaded first.
   */
  load(documentIds: Iterable<number>): Promise<void>;
  /**
   * The verbatim quote as it stands on the cited page of the document, or null when it is not there. A null page
   * (formats without pages) accepts any page-less unit of the document.
   */
  verify(documentId: number, page: number | null, quote: string): QuoteSpan | null;
  /** The stored text of a page (all page-less units joined when page is null), for context. */
  pageText(documentId: number, page: number | null): string;
}

/** A verifier that reads each document's unit texts once from the store. */
export function createQuoteVerifier(store: Pick<Store, "documents">): QuoteVerifier {
  // Units are read once per document; each page is normalised only when first checked (a spreadsheet is large).
  const cache = new Map<number, { unit: UnitText; normalised?: NormalisedText }[]>();
  const pageTexts = new Map<string, string>();
  const unitsOf = (documentId: number): { unit: UnitText; normalised?: NormalisedText }[] => {
    const units = cache.get(documentId);
    if (!units) throw new Error(`quote verifier: document ${documentId}'s pages were not loaded first`);
    return units;
  };
  return {
    async load(documentIds) {
      const missing = [...new Set(documentIds)].filter((id) => !cache.has(id));
      if (missing.length === 0) return;
      const texts = await store.documents.unitTexts(missing);
      for (const id of missing) cache.set(id, (texts.get(id) ?? []).map((unit) => ({ unit })));
    },
    verify(documentId, page, quote) {
      for (const entry of unitsOf(documentId)) {
        if (entry.unit.page !== page) continue;
        entry.normalised ??= normaliseWhitespace(entry.unit.text);
        const span = locateQuote(entry.unit.text, quote, entry.normalised);
        if (span) return span;
      }
      return null;
    },
    pageText(documentId, page) {
      const key = `${documentId}:${page ?? ""}`;
      let text = pageTexts.get(key);
      if (text === undefined) {
        text = unitsOf(documentId)
          .filter(({ unit }) => unit.page === page)
          .map(({ unit }) => unit.text)
          .join("\n\n");
        pageTexts.set(key, text);
      }
      return text;
    },
  };
}

export interface PagedCopy {
  documentId: number;
  fileName: string;
  page: number;
  section: string | null;
  /** The quote as it stands on that page. */
  quote: string;
}

/**
 * Where a quote from a document without pages (a strategy's Word or text version) also stands, verbatim, on a page
 * of another document (its PDF): a citation to that page is one the reader can open and check. Looked up by
 * the quote's opening words as a phrase, then verified on the page like any quote.
 */
export function createPagedCopyFinder(
  store: Pick<Store, "passages">,
  verifier: QuoteVerifier,
): (documentId: number, quote: string) => Promise<PagedCopy | null> {
  const found = new Map<string, PagedCopy | null>();
  return async (documentId, quote) => {
    const key = `${documentId}\u0000${quote}`;
    const known = found.get(key);
    if (known !== undefined) return known;
    let copy: PagedCopy | null = null;
    const opening = (quote.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
    if (opening.length >= 4) {
      const hits = (await store.passages.searchText({ terms: [{ phrase: opening, weight: 1 }], limit: 10 })).filter(
        (hit) => hit.documentId !== documentId && hit.page !== null,
      );
      await verifier.load(hits.map((hit) => hit.documentId));
      for (const hit of hits) {
        if (hit.documentId === documentId || hit.page === null) continue;
        const span = verifier.verify(hit.documentId, hit.page, quote);
        if (!span) continue;
        copy = { documentId: hit.documentId, fileName: hit.fileName, page: hit.page, section: hit.section, quote: span.quote };
        break;
      }
    }
    found.set(key, copy);
    return copy;
  };
}
