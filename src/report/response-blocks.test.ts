import { describe, expect, it } from "vitest";
import { parseResponse, spansText } from "./response-blocks.ts";
import type { ResponseBlock } from "./response-blocks.ts";

function kinds(blocks: ResponseBlock[]): string[] {
  return blocks.map((block) => block.kind);
}

describe("parseResponse", () => {
  it("keeps headings, paragraphs with [n] markers and Unicode as written", () => {
    const blocks = parseResponse("### Cost drivers\n\nFees were £2,278 – “quoted” in the home’s review [1].");
    expect(kinds(blocks)).toEqual(["heading", "paragraph"]);
    const [heading, paragraph] = blocks;
    if (heading?.kind !== "heading" || paragraph?.kind !== "paragraph") throw new Error("expected a heading then a paragraph");
    expect(heading.level).toBe(3);
    expect(spansText(heading.spans)).toBe("Cost drivers");
    expect(spansText(paragraph.spans)).toBe("Fees were £2,278 – “quoted” in the home’s review [1].");
  });

  it("splits bold spans and keeps the rest plain", () => {
    const [item] = parseResponse("- **Staffing ratios** drive cost [1]");
    expect(item).toEqual({
      kind: "list-item",
      level: 0,
      marker: null,
      spans: [
        { text: "Staffing ratios", bold: true, italic: false },
        { text: " drive cost [1]", bold: false, italic: false },
      ],
    });
  });

  it("numbers ordered items from the answer's own start and nests sub-lists a level deeper", () => {
    const blocks = parseResponse("3. **Third:** text\n4. Fourth\n    * nested point\n\n* top bullet");
    expect(blocks.map((block) => (block.kind === "list-item" ? [block.level, block.marker, spansText(block.spans)] : block.kind))).toEqual([
      [0, "3.", "Third: text"],
      [0, "4.", "Fourth"],
      [1, null, "nested point"],
      [0, null, "top bullet"],
    ]);
  });

  it("turns a Markdown table into header and row cells", () => {
    const [table] = parseResponse("| Placement type | Weekly cost |\n| --- | ---: |\n| In-house | £2,278 [1] |\n| External | **£3,290** |");
    if (table?.kind !== "table") throw new Error(`expected a table, got ${table?.kind}`);
    expect(table.header.map(spansText)).toEqual(["Placement type", "Weekly cost"]);
    expect(table.rows.map((row) => row.map(spansText))).toEqual([
      ["In-house", "£2,278 [1]"],
      ["External", "£3,290"],
    ]);
    expect(table.rows[1]?.[1]?.[0]?.bold).toBe(true);
  });

  it("keeps line breaks inside a paragraph and marks block quotes", () => {
    const blocks = parseResponse("Sincerely,\n[Your Name]\n\n> A quoted line");
    expect(blocks).toEqual([
      { kind: "paragraph", quoted: false, spans: [{ text: "Sincerely,\n[Your Name]", bold: false, italic: false }] },
      { kind: "paragraph", quoted: true, spans: [{ text: "A quoted line", bold: false, italic: false }] },
    ]);
  });
});
