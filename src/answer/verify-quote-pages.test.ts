/**
 * A verifier given pages reads only those pages of its documents (one store call), reads a page again only when it
 * was not read before, and says so when asked for a page it was not given rather than answering from nothing.
 */
import { describe, expect, it } from "vitest";
import type { UnitText } from "../chunking/types.ts";
import type { Store } from "../store/types.ts";
import { createQuoteVerifier, pagesToRead } from "./verify-quote.ts";

const library = new Map<number, UnitText[]>([
  [
    1,
    [
      { index: 0, page: 1, section: null, text: "Cover: Somerset sufficiency strategy 2024" },
      { index: 1, page: 2, section: null, text: "The council will open two homes\nin Taunton." },
      { index: 2, page: 3, section: null, text: "Weekly cost £5,200 per child." },
      { index: 3, page: 2, section: null, text: "A second unit on page two." },
    ],
  ],
  [2, [{ index: 0, page: null, section: null, text: "A page-less strategy in Word." }]],
]);

/** A store part that answers as both stores do, and records what it was asked. */
function recordingStore(): { store: Pick<Store, "documents">; calls: { ids: number[]; pages: (number | null)[] | undefined; rows: number }[] } {
  const calls: { ids: number[]; pages: (number | null)[] | undefined; rows: number }[] = [];
  const documents = {
    async unitTexts(ids: number[], pages?: readonly (number | null)[]) {
      const result = new Map(ids.map((id) => [id, (library.get(id) ?? []).filter((unit) => pages === undefined || pages.includes(unit.page))]));
      calls.push({ ids: [...ids], pages: pages === undefined ? undefined : [...pages], rows: [...result.values()].reduce((sum, units) => sum + units.length, 0) });
      return result;
    },
  } as unknown as Store["documents"];
  return { store: { documents }, calls };
}

describe("a quote verifier that reads only the cited pages", () => {
  it("reads the pages asked for, in one call, and verifies on them", async () => {
    const { store, calls } = recordingStore();
    const verifier = createQuoteVerifier(store);
    await verifier.load([1, 2], pagesToRead([{ page: 2 }, { page: null }]));
    expect(calls).toEqual([{ ids: [1, 2], pages: [1, 2, null], rows: 4 }]);
    expect(verifier.verify(1, 2, "two homes in Taunton")?.quote).toBe("two homes\nin Taunton");
    expect(verifier.pageText(1, 2)).toBe("The council will open two homes\nin Taunton.\n\nA second unit on page two.");
    expect(verifier.pageText(1, 1)).toBe("Cover: Somerset sufficiency strategy 2024");
    expect(verifier.verify(2, null, "page-less strategy")?.quote).toBe("page-less strategy");
    // Page 3 was not read: an error, not an answer from an empty page.
    expect(() => verifier.verify(1, 3, "Weekly cost")).toThrow(/page 3 of document 1 was not loaded/);
  });

  it("reads again only what a document lacks, and keeps each unit once in order", async () => {
    const { store, calls } = recordingStore();
    const verifier = createQuoteVerifier(store);
    await verifier.load([1], [2]);
    await verifier.load([1], [2]);
    expect(calls).toHaveLength(1);
    await verifier.load([1], [3, 2]);
    expect(calls[1]).toMatchObject({ ids: [1], pages: [3, 2] });
    expect(verifier.verify(1, 3, "£5,200 per child")?.quote).toBe("£5,200 per child");
    // A whole read after partial ones holds every unit once, in order.
    await verifier.load([1]);
    expect(calls[2]).toMatchObject({ ids: [1], pages: undefined });
    expect(verifier.pageText(1, 2)).toBe("The council will open two homes\nin Taunton.\n\nA second unit on page two.");
    expect(verifier.verify(1, 1, "Cover: Somerset")?.quote).toBe("Cover: Somerset");
    await verifier.load([1], [3]);
    expect(calls).toHaveLength(3);
  });
});
