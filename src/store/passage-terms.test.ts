import { describe, expect, it } from "vitest";
import { basicPlaneBeyondAscii } from "../../test/support/basic-plane.ts";
import { countPassageStems, packPassages, StemPassageCounter, unpackPassages } from "./passage-terms.ts";
import { countTokens, stemToken, tokenize } from "./passage-tokens.ts";

/** The counts as the store kept them before the numbered counter: a Set of stems per passage, a Map of changes. */
function naiveCounts(passages: Array<{ text: string; context: string; change: 1 | -1 }>): Array<[string, number]> {
  const changes = new Map<string, number>();
  for (const passage of passages) {
    const stems = new Set([...tokenize(passage.text), ...tokenize(passage.context)].map(stemToken));
    for (const stem of stems) changes.set(stem, (changes.get(stem) ?? 0) + passage.change);
  }
  return [...changes];
}

const pairs = (counts: { stems: string[]; counts: number[] }): Array<[string, number]> => counts.stems.map((stem, index) => [stem, counts.counts[index]!]);

const passages = [
  { text: "Placements of looked-after children: placements rose, and placing children far away rose too.", context: "Strategy › Placements" },
  { text: "The council’s “sufficiency” duty – 2023 to 2025 • £4,200 per week…", context: "Strategy › Sufficiency" },
  { text: "Café ﬁnance™ naïve e\u0301tude 𝐀𝐁 ① Ⅻ placements", context: "Strategy › Placements" },
  { text: "", context: "Strategy" },
  { text: "Children's homes: children’s homes, CHILDREN homes 2,022 and 2022.", context: "Strategy › Children's homes › Children's homes" },
];

describe("passage counts per stem", () => {
  it("count each passage's distinct stems of text and context once, in the order first met, as a Set per passage did", () => {
    const counter = new StemPassageCounter();
    for (const passage of passages) counter.countPassage(tokenize(passage.text), passage.context, 1);
    expect(pairs(counter.result())).toEqual(naiveCounts(passages.map((passage) => ({ ...passage, change: 1 }))));
    expect(pairs(countPassageStems(passages))).toEqual(pairs(counter.result()));
  });

  it("count passages out and in, and add counts made elsewhere after them in the same order as counting them here", () => {
    const removed = passages.slice(0, 3).reverse();
    const here = new StemPassageCounter();
    for (const passage of removed) here.countPassage(tokenize(passage.text), passage.context, -1);
    const merged = new StemPassageCounter();
    for (const passage of removed) merged.countPassage(tokenize(passage.text), passage.context, -1);
    for (const passage of passages) here.countPassage(tokenize(passage.text), passage.context, 1);
    merged.addCounts(countPassageStems(passages));
    expect(pairs(merged.result())).toEqual(pairs(here.result()));
    expect(pairs(here.result())).toEqual(
      naiveCounts([...removed.map((passage) => ({ ...passage, change: -1 as const })), ...passages.map((passage) => ({ ...passage, change: 1 as const }))]),
    );
    // Stems of the removed passages that are back as often as they went have no change.
    expect(pairs(here.result()).find(([stem]) => stem === "placement")).toEqual(["placement", 0]);
  });

  it("count tokens as tokenize does, for every character of the Basic Multilingual Plane between words", () => {
    const differing = basicPlaneBeyondAscii.filter((point) => {
      const text = `Ab${String.fromCodePoint(point)}Cd e9 ${String.fromCodePoint(point)}`;
      return countTokens(text) !== tokenize(text).length;
    });
    expect(differing).toEqual([]);
    for (const text of ["", " ", "a", "a1b2 c", "--a--", "x\u{1d400}y", "\ud800a"]) expect(countTokens(text)).toBe(tokenize(text).length);
  });

  it("pack passages for the worker and unpack them as they were", () => {
    const packed = packPassages(passages);
    expect(packed.contexts).toEqual(["Strategy › Placements", "Strategy › Sufficiency", "Strategy", "Strategy › Children's homes › Children's homes"]);
    expect(unpackPassages(packed)).toEqual(passages);
    expect(unpackPassages(packPassages([]))).toEqual([]);
  });
});
