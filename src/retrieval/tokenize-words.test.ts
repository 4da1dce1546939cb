import { describe, expect, it } from "vitest";
import { words } from "./tokenize.ts";

/** What `words` computed before its ASCII fast path: every text decomposed, marks removed, Unicode letters and digits. */
const reference = (text: string): string[] => text.toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "").match(/[\p{L}\p{N}]+/gu) ?? [];

describe("words", () => {
  it("gives the same words on its fast paths (ASCII, ASCII with typographic punctuation) as decomposing every text", () => {
    const texts = [
      "Local authorities' sufficiency duty: 1,245 placements in 2023/24.",
      "“Children’s homes” – £4,500 per week · 2023›24 … see § 12\u00a0and ½ ² ﬁre",
      "Café naïve résumé Straße İstanbul KELVIN\u212a σοφία 五",
      "",
      "— … ›",
    ];
    for (const text of texts) expect(words(text), text).toEqual(reference(text));
    expect(words("“Children’s homes” – £4,500")).toEqual(["children", "s", "homes", "4", "500"]);
  });

  it("leaves no letter or digit behind in the characters it treats as separators", () => {
    const separators = [0xa0, 0xa3, 0xa7, 0xa9, 0xab, 0xae, 0xb0, 0xb1, 0xb6, 0xb7, 0xbb, ...Array.from({ length: 0x70 }, (_, index) => 0x2000 + index)];
    for (const code of separators) expect(reference(`a${String.fromCharCode(code)}b`), code.toString(16)).toEqual(["a", "b"]);
  });
});
