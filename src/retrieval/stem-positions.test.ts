import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { corpus, withoutCorpus } from "../../test/support/corpus.ts";
import { stemPositionFinder } from "./stem-positions.ts";
import { stems } from "./tokenize.ts";

/** The reference: every word stemmed, then each start of the sequence. */
function naive(text: string, sequence: readonly string[]): number[] {
  const all = stems(text);
  const positions: number[] = [];
  if (sequence.length === 0) return positions;
  for (let start = 0; start + sequence.length <= all.length; start++) if (sequence.every((stem, offset) => all[start + offset] === stem)) positions.push(start);
  return positions;
}

/** Every stem of the text alone and with its neighbour: a word the gate wrongly turned away would be missed. */
function everySequenceOf(text: string): string[][] {
  const all = stems(text);
  const sequences = new Map<string, string[]>();
  all.forEach((stem, index) => {
    sequences.set(stem, [stem]);
    const next = all[index + 1];
    if (next !== undefined) sequences.set(`${stem} ${next}`, [stem, next]);
  });
  return [...sequences.values()];
}

function agreesOnEverySequence(text: string): void {
  const sequences = everySequenceOf(text);
  const positions = stemPositionFinder(sequences.flat())(text);
  for (const sequence of sequences) expect(positions.find(sequence), sequence.join(" ")).toEqual(naive(text, sequence));
}

describe("where a question's stems stand in a passage", () => {
  it("finds each stem and sequence where stemming every word would, ASCII and not", () => {
    const text =
      "The local authorities' sufficiency duty: looked-after children (LAC) in care, 1,245 placements in 2023/24; a child's " +
      "ties, flies and I; Local Authority, authorized, happiness. Children in care; CHILDREN-IN-CARE.";
    const positions = stemPositionFinder(["local", "author", "children", "in", "care", "i", "placement", "2023", "lac"].flatMap((word) => stems(word)))(text);
    expect(positions.find(stems("local authority"))).toEqual(naive(text, stems("local authority")));
    expect(positions.find(stems("local authority"))).toHaveLength(2);
    expect(positions.find(stems("children in care"))).toHaveLength(2);
    expect(positions.find(["i"])).toEqual(naive(text, ["i"]));
    expect(positions.find([])).toEqual([]);
    agreesOnEverySequence(text);
    agreesOnEverySequence("“Children’s homes” – £1,245\u00a0per week · 2023›24 … local authorities’ duty");
    agreesOnEverySequence("Café naïve résumé ÆSIR Straße 五 σοφία — “Children’s homes” £1,245\u00a0per week · ½ ² ﬁre KELVIN \u212a");
  });

  it("answers for a stem it was not told to look for by stemming the whole passage", () => {
    const text = "Ofsted inspects children's homes; homes are inspected twice a year.";
    const positions = stemPositionFinder(["ofst"])(text);
    expect(positions.find(stems("homes"))).toEqual([4, 5]);
    expect(positions.find(stems("inspected twice"))).toEqual([7]);
    expect(positions.find(["absent"])).toEqual([]);
  });

  describe.skipIf(withoutCorpus())("over the sample corpus", () => {
    it("agrees with stemming every word on every stem and pair of a few thousand characters of each of four files", () => {
      for (const relative of ["formats/Cambridgeshire Placement Strategy 2011-2015.txt", "real/Ofsted SCCIF children's homes.txt", "real/provider_at_march_2025.csv", "dev-questions.json"]) {
        if (existsSync(corpus(relative))) agreesOnEverySequence(readFileSync(corpus(relative), "utf8").slice(0, 4_000));
      }
    });
  });
});
