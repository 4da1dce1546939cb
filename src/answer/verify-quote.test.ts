import { readFileSync } from "node:fs";
import type { Store } from "../store/types.ts";
import { describe, expect, it } from "vitest";
import { corpusPath } from "../loaders/loader-contract.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import { sampleDocument } from "../store/test-fixtures/sample-documents.ts";
import { createPagedCopyFinder, createQuoteVerifier, locateQuote, normaliseWhitespace, originalOffset } from "./verify-quote.ts";
import { withoutCorpus } from "../../test/support/corpus.ts";

const page = withoutCorpus() ? "" : readFileSync(corpusPath("formats/Cambridgeshire Placement Strategy 2011-2015.txt"), "utf8");

/** The map this replaced (a number per normalised character), as the reference for the one kept now. */
function offsetsPerCharacter(original: string): { text: string; offsets: number[] } {
  const parts: string[] = [];
  const offsets: number[] = [];
  let previousEnd = -1;
  for (const match of original.matchAll(/\S+/g)) {
    const start = match.index;
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

describe("normaliseWhitespace", () => {
  it("collapses runs of whitespace and maps each character back to the original", () => {
    const normalised = normaliseWhitespace("  a \n\t b  c ");
    expect(normalised.text).toBe("a b c");
    const offsets = [...normalised.text].map((_character, index) => originalOffset(normalised, index));
    expect(offsets.map((offset) => "  a \n\t b  c "[offset!])).toEqual(["a", " ", "b", " ", "c"]);
    expect(originalOffset(normalised, 5)).toBeUndefined();
    expect(originalOffset(normalised, -1)).toBeUndefined();
    expect(normaliseWhitespace(" \n ").text).toBe("");
  });

  it("maps every character as a number per character did, on generated text with every kind of whitespace", () => {
    const pieces = ["a", "word", "£2,278", " ", "\n", "\t", "\u00a0", "\u2003", "\r\n", "  ", "\u3000", "x"];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let sample = 0; sample < 300; sample++) {
      const original = Array.from({ length: Math.floor(next() * 40) }, () => pieces[Math.floor(next() * pieces.length)]).join("");
      const reference = offsetsPerCharacter(original);
      const normalised = normaliseWhitespace(original);
      expect(normalised.text, JSON.stringify(original)).toBe(reference.text);
      expect([...Array(normalised.text.length).keys()].map((index) => originalOffset(normalised, index)), JSON.stringify(original)).toEqual(reference.offsets);
    }
  });

  it.skipIf(withoutCorpus())("maps a real page's characters as a number per character did", () => {
    const reference = offsetsPerCharacter(page);
    const normalised = normaliseWhitespace(page);
    expect(normalised.text).toBe(reference.text);
    expect([...Array(normalised.text.length).keys()].map((index) => originalOffset(normalised, index))).toEqual(reference.offsets);
  });
});

describe.skipIf(withoutCorpus())("locateQuote", () => {
  it("finds a quote on a real page despite different whitespace and returns the page's own text", async () => {
    const sentence = page.match(/[^.\n]*\b(?:Harbour School)[^.]*\./)?.[0];
    expect(sentence).toBeDefined();
    const squeezed = (sentence ?? "").replace(/\s+/g, "  ");
    const span = locateQuote(page, squeezed);
    expect(span).not.toBeNull();
    expect(page.slice(span?.start, span?.end)).toBe(span?.quote);
    expect(span?.quote.replace(/\s+/g, " ").trim()).toBe((sentence ?? "").replace(/\s+/g, " ").trim());
  });

  it("rejects text that is not on the page", async () => {
    expect(locateQuote(page, "The fee for an Ofsted registration in Wales is £500.")).toBeNull();
    expect(locateQuote(page, "   ")).toBeNull();
  });
});

describe.skipIf(withoutCorpus())("createQuoteVerifier", () => {
  it("checks quotes against the cited page only", async () => {
    const units = [
      { index: 0, page: 1, section: null, text: "First page about costs." },
      { index: 1, page: 2, section: null, text: page },
    ];
    const store = { documents: { unitTexts: async (ids: number[]) => new Map(ids.map((id) => [id, units])) } } as unknown as Pick<Store, "documents">;
    const verifier = createQuoteVerifier(store);
    await verifier.load([1]);
    expect(verifier.verify(1, 1, "about  costs.")?.quote).toBe("about costs.");
    expect(verifier.verify(1, 2, "about costs.")).toBeNull();
    expect(verifier.pageText(1, 1)).toBe("First page about costs.");
  });
});

describe.skipIf(withoutCorpus())("paged copies of a quote", () => {
  it("finds the page of another document that holds a page-less document's quote verbatim", async () => {
    const store = openSqliteStore({ path: ":memory:" });
    const sentence = "The weekly cost of an in-house residential placement is £2,278 per week.";
    const text = sampleDocument(corpusPath("formats/Exampleshire strategy.txt"), { format: "text", paged: false, text: `# Costs\n\nIntroduction to the text copy.\n\n${sentence}` });
    const pdf = sampleDocument(corpusPath("library/Exampleshire strategy.pdf"), {
      format: "pdf",
      paged: true,
      paragraphsPerPage: 1,
      text: `Cover page of the printed copy.\n\nThe weekly cost of an in-house residential\nplacement is £2,278 per week.`,
    });
    await store.documents.replace(text.document, text.units, text.chunks);
    await store.documents.replace(pdf.document, pdf.units, pdf.chunks);
    const ids = new Map((await store.documents.list()).map((document) => [document.fileName, document.id]));
    const find = createPagedCopyFinder(store, createQuoteVerifier(store));
    expect(await find(ids.get("Exampleshire strategy.txt") ?? -1, sentence)).toEqual({
      documentId: ids.get("Exampleshire strategy.pdf"),
      fileName: "Exampleshire strategy.pdf",
      page: 2,
      section: null,
      quote: "The weekly cost of an in-house residential\nplacement is £2,278 per week.",
    });
    // A sentence only the text copy holds has no paged copy.
    expect(await find(ids.get("Exampleshire strategy.txt") ?? -1, "Introduction to the text copy.")).toBeNull();
    await store.close();
  });
});
