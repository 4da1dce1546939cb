import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { joinContinuations } from "./join-continuations.ts";
import { contextFor, corpusPath, unitText, withoutCorpus } from "./loader-contract.ts";
import { pdfLoader } from "./pdf.ts";
import type { LoadedDocument } from "./types.ts";

describe("joinContinuations", () => {
  it("rejoins a sentence split into a heading and a lower-case paragraph", () => {
    const document: LoadedDocument = {
      format: "pdf",
      title: null,
      warnings: [],
      units: [
        {
          page: 1,
          section: null,
          blocks: [
            { kind: "heading", level: 5, text: "Independent person: visits and reports" },
            { kind: "heading", level: 5, text: "44.—(1) The registered person must ensure that an independent person visits the children's home" },
            { kind: "paragraph", text: "at least once each month." },
            { kind: "paragraph", text: "(2) When the independent person is carrying out a visit." },
          ],
        },
      ],
    };
    const blocks = joinContinuations(document).units[0]?.blocks;
    expect(blocks).toEqual([
      { kind: "heading", level: 5, text: "Independent person: visits and reports" },
      { kind: "paragraph", text: "44.—(1) The registered person must ensure that an independent person visits the children's home at least once each month." },
      { kind: "paragraph", text: "(2) When the independent person is carrying out a visit." },
    ]);
  });

  it("leaves finished sentences and capitalised starts apart", () => {
    const document: LoadedDocument = {
      format: "text",
      title: null,
      warnings: [],
      units: [{ page: null, section: null, blocks: [{ kind: "paragraph", text: "One sentence." }, { kind: "paragraph", text: "another starts low." }, { kind: "paragraph", text: "No stop here" }, { kind: "paragraph", text: "Capital start." }] }],
    };
    expect(joinContinuations(document)).toBe(document);
  });

  it.skipIf(withoutCorpus())("makes regulation 44's first sentence whole in the real Regulations PDF", async () => {
    const path = corpusPath("real/The Children's Home (England) regulations 2015.pdf");
    const loaded = await pdfLoader.load(new Uint8Array(readFileSync(path)), contextFor(path));
    if (!loaded.ok) throw loaded.error;
    const page = joinContinuations(loaded.value).units.find((unit) => unit.page === 32);
    expect(unitText(page!)).toMatch(/independent person visits the children's home\s+at least once each month\./);
  });
});
