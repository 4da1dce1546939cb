import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contextFor, corpusPath, describeLoaderContract, unitText, withoutCorpus } from "./loader-contract.ts";
import { sampleMarkdown } from "./sample-documents.ts";
import { markdownLoader } from "./markdown.ts";
import type { ContentBlock, LoadedDocument } from "./types.ts";

const somerset = corpusPath("formats/Somerset Homes and Horizons Members Briefing.md");

describeLoaderContract(markdownLoader, {
  fixture: sampleMarkdown,
  samplePath: somerset,
  expectedWords: ["Homes and Horizons", "Therapeutic education", "Staffing and recruitment", "Info and FAQ for Members.docx"],
  paged: false,
});

async function load(bytes: Uint8Array, path = "/tmp/notes.md"): Promise<LoadedDocument> {
  const result = await markdownLoader.load(bytes, contextFor(path));
  if (!result.ok) throw result.error;
  return result.value;
}

function blocksOf(document: LoadedDocument): ContentBlock[] {
  return document.units.flatMap((unit) => unit.blocks);
}

describe("markdownLoader", () => {
  it.skipIf(withoutCorpus())("reads the Somerset briefing: Pandoc title, headings by depth, the risks table", async () => {
    const document = await load(new Uint8Array(readFileSync(somerset)), somerset);
    expect(document.title).toBe("Homes and Horizons: Somerset Strategic Partnership");
    const blocks = blocksOf(document);
    expect(blocks).toContainEqual({ kind: "heading", level: 1, text: "Where are our children in care living?" });
    expect(blocks).toContainEqual({ kind: "heading", level: 3, text: "Future homes" });
    // A bold-only line under "# Overview" is a sub-heading in this converted slide deck.
    expect(blocks).toContainEqual({ kind: "heading", level: 2, text: "Proposed Joint Engagement Strategy" });
    const risks = blocks.find((block) => block.kind === "table" && block.header[0] === "Headline risk");
    expect(risks?.kind === "table" && risks.header).toEqual(["Headline risk", "Mitigations"]);
    expect(risks?.kind === "table" && risks.rows.map((row) => row[0])).toContain("Staffing and recruitment");
  });

  it.skipIf(withoutCorpus())("strips inline markup: no asterisks, link targets or escapes survive", async () => {
    const document = await load(new Uint8Array(readFileSync(somerset)), somerset);
    const text = document.units.map(unitText).join("\n");
    expect(text).not.toContain("**");
    expect(text).not.toContain("](");
    expect(text).not.toContain("mailto:");
    expect(text).toContain("Therapeutic Education Provision (July 2022) Members");
  });

  it.skipIf(withoutCorpus())("turns pasted tab-separated lines into a table without inventing a header", async () => {
    const document = await load(new Uint8Array(readFileSync(somerset)), somerset);
    const places = blocksOf(document).find((block) => block.kind === "table" && block.rows[0]?.[0] === "Somerset");
    expect(places).toMatchObject({ kind: "table", header: [] });
    expect(places?.kind === "table" && places.rows).toContainEqual(["Devon", "5"]);
  });

  it("handles front matter, emphasis, links, entities, code, quotes, lists and embedded HTML", async () => {
    const source = [
      "---",
      "title: \"Staff handbook\"",
      "author: Registered manager",
      "---",
      "# Safer *recruitment*",
      "",
      "Read the [guide](https://example.org/guide) &amp; the `DBS` policy, costing &pound;40.",
      "",
      "1. Check references",
      "2. Interview",
      "   - values-based",
      "",
      "> Children come first.",
      "",
      "```",
      "rota --weekly",
      "```",
      "",
      "<div><script>alert(1)</script><p>Embedded note</p></div>",
      "",
      "Setext heading",
      "--------------",
      "",
      "| Role | Hours |",
      "|---|---|",
      "| **Manager** | 37.5 |",
    ].join("\n");
    const document = await load(new Uint8Array(Buffer.from(source, "utf8")));
    expect(document.title).toBe("Staff handbook");
    expect(blocksOf(document)).toEqual([
      { kind: "heading", level: 1, text: "Safer recruitment" },
      { kind: "paragraph", text: "Read the guide & the DBS policy, costing £40." },
      { kind: "paragraph", text: "1. Check references\n2. Interview\n  - values-based" },
      { kind: "paragraph", text: "Children come first." },
      { kind: "paragraph", text: "rota --weekly" },
      { kind: "paragraph", text: "Embedded note" },
      { kind: "heading", level: 2, text: "Setext heading" },
      { kind: "table", header: ["Role", "Hours"], rows: [["Manager", "37.5"]] },
    ]);
  });

  it("uses the first level-1 heading as the title when the file states none", async () => {
    const document = await load(new Uint8Array(Buffer.from("Intro text.\n\n# Fostering offer\n\nDetails.")));
    expect(document.title).toBe("Fostering offer");
  });
});
