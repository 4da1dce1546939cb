import { describe, expect, it } from "vitest";
import { createTextCache } from "./text-cache.ts";
import { cachedStems, stems } from "./tokenize.ts";

describe("createTextCache: what is worked out from a text, kept by the text", () => {
  it("computes a text's value once, and again after the cache filled up and emptied", () => {
    const cache = createTextCache<number>(10);
    let computed = 0;
    const length = (text: string): number => {
      computed++;
      return text.length;
    };
    expect(cache.get("abcd", length)).toBe(4);
    expect(cache.get("abcd", length)).toBe(4);
    expect(cache.get("efgh", length)).toBe(4);
    expect(computed).toBe(2);
    // 4 + 4 + 3 characters pass the limit of 10: emptied, then "ijk" kept alone.
    expect(cache.get("ijk", length)).toBe(3);
    expect(cache.get("ijk", length)).toBe(3);
    expect(cache.get("abcd", length)).toBe(4);
    expect(computed).toBe(4);
  });

  it("cachedStems gives stems()'s answer, shared and frozen", () => {
    const text = "Placements of looked after children outside the county";
    const first = cachedStems(text);
    expect(first).toEqual(stems(text));
    expect(cachedStems(text)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
