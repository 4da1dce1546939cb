/** sharesMostWords stops at the first word too many missing; its verdict is the 85% share's at every size. */
import { describe, expect, it } from "vitest";
import { sharesMostWords } from "./search.ts";

describe("sharesMostWords", () => {
  it("agrees with shared / size >= 0.85 for every size and overlap up to 120 words", () => {
    for (let size = 1; size <= 120; size++) {
      const small = new Set(Array.from({ length: size }, (_, index) => `word${index}`));
      for (let shared = 0; shared <= size; shared++) {
        // The shared words last, so a missing word comes first and the early stop is exercised.
        const large = new Set([...Array.from({ length: shared }, (_, index) => `word${size - 1 - index}`), "other"]);
        expect(sharesMostWords(small, large), `${shared} of ${size}`).toBe(shared / size >= 0.85);
      }
    }
  });

  it("is true at exactly 85% and false just under it", () => {
    const small = new Set(Array.from({ length: 20 }, (_, index) => `w${index}`));
    expect(sharesMostWords(small, new Set([...small].slice(3)))).toBe(true);
    expect(sharesMostWords(small, new Set([...small].slice(4)))).toBe(false);
  });
});
