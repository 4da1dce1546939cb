/**
 * Quote verification: a citation's quote must be verbatim text of the page it cites. Whitespace may differ (a
 * sentence wrapped over two lines in the page), so the check compares whitespace-normalised text and maps the
 * match back to the exact span of the page, which becomes the quote.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import type { UnitText } from "../chunking/types.ts";
import type { Store } from "../store/types.ts";

/** How much page text a verifier keeps (quote-cache.json beside this file). */
const cacheLimits = z
  .object({ documents: z.number().int().positive(), characters: z.number().int().positive(), pages: z.number().int().positive() })
  .parse(JSON.parse(readFileSync(new URL("./quote-cache.json", import.meta.url), "utf8")));

export interface NormalisedText {
  text: string;
  /**
   * Where each word (run of non-space characters) starts: at `normalisedStarts[k]` in `text` and at
   * `originalStarts[k]` in the original. A word and the one space after it keep their distance from its start, so
   * these two numbers a word map every character back (`originalOffset`): a number per character, as this kept
   * before, made a 1 MB page (a spreadsheet is one unit) an 8 MB array grown by doubling, every page touched anew.
   */
  normalisedStarts: number[];
  originalStarts: number[];
}

/** Collapses every run of whitespace to one space (and trims), remembering where each word came from. */
export function normaliseWhitespace(original: string): NormalisedText {
  const normalisedStarts: number[] = [];
  const originalStarts: number[] = [];
  const gaps = /\s+/g;
  let wordStart = 0;
  let normalisedAt = 0;
  const word = (end: number): void => {
    if (end <= wordStart) return;
    normalisedStarts.push(normalisedAt);
    originalStarts.push(wordStart);
    // The word and the one space that follows it in the normalised text.
    normalisedAt += end - wordStart + 1;
  };
  for (let gap = gaps.exec(original); gap !== null; gap = gaps.exec(original)) {
    word(gap.index);
    wordStart = gap.index + gap[0].length;
  }
  word(original.length);
  // trim() and \s agree on what whitespace is.
  return { text: original.trim().replace(/\s+/g, " "), normalisedStarts, originalStarts };
}

/**
 * The index in the original text of normalised character `index` (a space maps to the first whitespace character
 * after its word), or undefined past the end.
 */
export function originalOffset(normalised: NormalisedText, index: number): number | undefined {
  if (index < 0 || index >= normalised.text.length) return undefined;
  const starts = normalised.normalisedStarts;
  // The last word starting at or before index.
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= index) low = middle;
    else high = middle - 1;
  }
  return normalised.originalStarts[low]! + index - starts[low]!;
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
  const start = originalOffset(page, at);
  const last = originalOffset(page, at + needle.length - 1);
  if (start === undefined || last === undefined) return null;
  const end = last + 1;
  return { start, end, quote: pageText.slice(start, end) };
}

export interface QuoteVerifier {
  /**
   * Reads the unit texts of these documents from the store, in one call for all not read before. `verify` and
   * `pageText` are synchronous (they run inside per-sentence loops) and answer only for documents loaded first.
   * Given `pages`, only those pages of each document are read (a page asked for later that was not read is an
   * error, as a document not loaded is): on a large library an answer's candidate documents hold about 1,500 pages
   * between them and it cites a few.
   */
  load(documentIds: Iterable<number>, pages?: Iterable<number | null>): Promise<void>;
  /**
   * The verbatim quote as it stands on the cited page of the document, or null when it is not there. A null page
   * (formats without pages) accepts any page-less unit of the document.
   */
  verify(documentId: number, page: number | null, quote: string): QuoteSpan | null;
  /** The stored text of a page (all page-less units joined when page is null), for context. */
  pageText(documentId: number, page: number | null): string;
}

type CachedUnits = { unit: UnitText; normalised?: NormalisedText }[];

/** A document's units in the cache: all of them, or those on the pages read so far (`pages`). */
interface CachedDocument {
  units: CachedUnits;
  characters: number;
  /** The pages whose units are all here; null when every unit of the document is. */
  pages: Set<number | null> | null;
}

/**
 * The pages an answer reads of its candidate passages' documents: each passage's own page, and page 1 (a document's
 * cover says whose and when it is, which scopes every later page).
 */
export function pagesToRead(results: Iterable<{ page: number | null }>): (number | null)[] {
  return [...new Set<number | null>([1, ...[...results].map((result) => result.page)])];
}

/**
 * A verifier that reads the unit texts of the documents an answer may cite in one store call (`load`), and keeps the
 * most recently used ones (a long-lived answerer meets every document of a large library in time; it must not keep
 * them all). Documents of the last two `load` calls are never dropped: the answer in hand verifies against them.
 */
export function createQuoteVerifier(store: Pick<Store, "documents">, limits: typeof cacheLimits = cacheLimits): QuoteVerifier {
  // Each page is normalised only when first checked (a spreadsheet is large). Map order is recency: a hit moves
  // its entry to the end, and the oldest go first when the cache is over its limits.
  const cache = new Map<number, CachedDocument>();
  let cachedCharacters = 0;
  let previousLoad = new Set<number>();
  const pageTexts = new Map<string, string>();
  const trim = (inUse: Set<number>): void => {
    for (const [documentId, entry] of cache) {
      if (cache.size <= limits.documents && cachedCharacters <= limits.characters) break;
      if (inUse.has(documentId)) continue;
      cache.delete(documentId);
      cachedCharacters -= entry.characters;
    }
  };
  const entryOf = (documentId: number, page: number | null): CachedDocument => {
    const entry = cache.get(documentId);
    if (!entry) throw new Error(`quote verifier: document ${documentId}'s pages were not loaded first`);
    if (entry.pages !== null && !entry.pages.has(page)) throw new Error(`quote verifier: page ${page ?? "(none)"} of document ${documentId} was not loaded first`);
    cache.delete(documentId);
    cache.set(documentId, entry);
    return entry;
  };
  const unitsOf = (documentId: number, page: number | null): CachedUnits => entryOf(documentId, page).units;
  /** Adds units read from the store to a document's entry (none twice), in unit order. */
  const keep = (id: number, read: UnitText[], pages: Set<number | null> | null): void => {
    const entry = cache.get(id);
    // Already whole (another load finished first): nothing to add.
    if (entry !== undefined && entry.pages === null) return;
    const have = new Set(entry?.units.map(({ unit }) => unit.index) ?? []);
    const added: CachedUnits = read.filter((unit) => !have.has(unit.index)).map((unit) => ({ unit }));
    const characters = added.reduce((sum, { unit }) => sum + unit.text.length, 0);
    if (entry === undefined) {
      cache.set(id, { units: added, characters, pages: pages === null ? null : new Set(pages) });
    } else {
      entry.units = [...entry.units, ...added].sort((left, right) => left.unit.index - right.unit.index);
      entry.characters += characters;
      entry.pages = pages === null ? null : new Set([...(entry.pages ?? []), ...pages]);
    }
    cachedCharacters += characters;
  };
  return {
    async load(documentIds, pages) {
      const wanted = new Set(documentIds);
      const only = pages === undefined ? null : new Set(pages);
      // A document is read again only for what its entry lacks: every unit, or the pages asked for.
      const lacks = (id: number): boolean => {
        const entry = cache.get(id);
        if (!entry) return true;
        if (entry.pages === null) return false;
        return only === null || [...only].some((page) => !entry.pages!.has(page));
      };
      const missing = [...wanted].filter(lacks);
      if (missing.length > 0) {
        const texts = only === null ? await store.documents.unitTexts(missing) : await store.documents.unitTexts(missing, [...only]);
        for (const id of missing) keep(id, texts.get(id) ?? [], only);
      }
      trim(new Set([...previousLoad, ...wanted]));
      previousLoad = wanted;
    },
    verify(documentId, page, quote) {
      const cached = entryOf(documentId, page);
      for (const entry of cached.units) {
        if (entry.unit.page !== page) continue;
        if (!entry.normalised) {
          entry.normalised = normaliseWhitespace(entry.unit.text);
          // The normalised copy, and two numbers (8 bytes each) a word.
          const held = entry.normalised.text.length + entry.normalised.normalisedStarts.length * 16;
          cached.characters += held;
          cachedCharacters += held;
        }
        const span = locateQuote(entry.unit.text, quote, entry.normalised);
        if (span) return span;
      }
      return null;
    },
    pageText(documentId, page) {
      const key = `${documentId}:${page ?? ""}`;
      let text = pageTexts.get(key);
      if (text === undefined) {
        text = unitsOf(documentId, page)
          .filter(({ unit }) => unit.page === page)
          .map(({ unit }) => unit.text)
          .join("\n\n");
        if (pageTexts.size >= limits.pages) pageTexts.delete(pageTexts.keys().next().value!);
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
      await verifier.load(
        hits.map((hit) => hit.documentId),
        hits.map((hit) => hit.page),
      );
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
