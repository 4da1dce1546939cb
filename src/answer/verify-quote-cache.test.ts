import { describe, expect, it } from "vitest";
import type { UnitText } from "../chunking/types.ts";
import type { DocumentStore } from "../store/types.ts";
import { createQuoteVerifier } from "./verify-quote.ts";

/** A store of one-page documents that counts how often each is read. */
function countingStore() {
  const reads = new Map<number, number>();
  return {
    reads,
    documents: {
      async unitTexts(documentIds: number[]): Promise<Map<number, UnitText[]>> {
        for (const documentId of documentIds) reads.set(documentId, (reads.get(documentId) ?? 0) + 1);
        return new Map(documentIds.map((documentId) => [documentId, [{ index: 0, page: 1, section: null, text: `Document ${documentId} says the weekly cost rose by ${documentId}0 per cent.` }]]));
      },
    } as unknown as DocumentStore,
  };
}

describe("quote verifier cache", () => {
  it("keeps the most recently used documents and reads an evicted one again", async () => {
    const store = countingStore();
    const verifier = createQuoteVerifier(store, { documents: 2, characters: 1_000_000, pages: 10 });
    await verifier.load([1]);
    expect(verifier.verify(1, 1, "weekly cost rose by 10")?.quote).toBe("weekly cost rose by 10");
    await verifier.load([2]);
    verifier.verify(2, 1, "Document 2");
    verifier.verify(1, 1, "Document 1"); // 1 is now the most recent
    await verifier.load([3]); // over the limit: 2 (the last load's) and 3 stay, so 1 goes though it was used last
    expect(() => verifier.verify(1, 1, "Document 1")).toThrow(/not loaded first/);
    verifier.verify(2, 1, "Document 2");
    await verifier.load([4]); // now 2 goes: no longer among the last two loads
    expect(() => verifier.verify(2, 1, "Document 2")).toThrow(/not loaded first/);
    await verifier.load([3, 2]); // 3 is still kept; 2 is read again
    expect(store.reads.get(3)).toBe(1);
    expect(store.reads.get(2)).toBe(2);
    expect(verifier.verify(3, 1, "not on the page")).toBeNull();
  });

  it("drops documents once the text kept passes its character budget, but keeps those of the answer in hand", async () => {
    const store = countingStore();
    const verifier = createQuoteVerifier(store, { documents: 100, characters: 10, pages: 10 });
    await verifier.load([1, 2]);
    verifier.verify(1, 1, "Document 1");
    expect(verifier.pageText(2, 1)).toContain("Document 2 says");
    await verifier.load([3]);
    await verifier.load([4]);
    await verifier.load([1]);
    expect(store.reads.get(1)).toBe(2);
    expect(store.reads.get(4)).toBe(1);
  });
});
