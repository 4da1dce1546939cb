import { describe, expect, it } from "vitest";
import type { UnitText } from "../chunking/types.ts";
import { createQuoteVerifier } from "./verify-quote.ts";

/** A store of three one-page documents that counts how often each is read. */
function countingStore() {
  const reads = new Map<number, number>();
  return {
    reads,
    getUnitTexts(documentId: number): UnitText[] {
      reads.set(documentId, (reads.get(documentId) ?? 0) + 1);
      return [{ index: 0, page: 1, section: null, text: `Document ${documentId} says the weekly cost rose by ${documentId}0 per cent.` }];
    },
  };
}

describe("quote verifier cache", () => {
  it("keeps the most recently used documents and reads an evicted one again", () => {
    const store = countingStore();
    const verifier = createQuoteVerifier(store, { documents: 2, characters: 1_000_000, pages: 10 });
    expect(verifier.verify(1, 1, "weekly cost rose by 10")?.quote).toBe("weekly cost rose by 10");
    verifier.verify(2, 1, "Document 2");
    verifier.verify(1, 1, "Document 1"); // 1 is now the most recent
    verifier.verify(3, 1, "Document 3"); // over the limit: 2, the least recent, goes
    verifier.verify(1, 1, "Document 1");
    verifier.verify(2, 1, "Document 2");
    expect(store.reads.get(1)).toBe(1);
    expect(store.reads.get(2)).toBe(2);
    expect(verifier.verify(3, 1, "not on the page")).toBeNull();
  });

  it("drops documents once the text kept passes its character budget, but keeps the one in use", () => {
    const store = countingStore();
    const verifier = createQuoteVerifier(store, { documents: 100, characters: 10, pages: 10 });
    verifier.verify(1, 1, "Document 1");
    verifier.verify(2, 1, "Document 2");
    verifier.verify(1, 1, "Document 1");
    expect(store.reads.get(1)).toBe(2);
    expect(verifier.pageText(2, 1)).toContain("Document 2 says");
  });
});
