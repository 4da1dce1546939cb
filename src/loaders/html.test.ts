import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { declaredCharset, htmlLoader } from "./html.ts";
import { contextFor, corpusPath, describeLoaderContract, unitText, withoutCorpus } from "./loader-contract.ts";
import { sampleHtml, sampleMarkdown, sampleText } from "./sample-documents.ts";
import { textLoader } from "./text.ts";
import type { ContentBlock, LoadedDocument } from "./types.ts";

const cambridgeshireHtml = corpusPath("formats/Cambridgeshire Placement Strategy 2011-2015.html");
const cambridgeshireText = corpusPath("formats/Cambridgeshire Placement Strategy 2011-2015.txt");

describeLoaderContract(htmlLoader, {
  fixture: sampleHtml,
  samplePath: cambridgeshireHtml,
  expectedWords: ["Children's Services", "£1,074", "Appendix 4 – The Proposed Model of Parent Support"],
  paged: false,
});

async function loadBytes(bytes: Uint8Array, path = "/tmp/page.html"): Promise<LoadedDocument> {
  const result = await htmlLoader.load(bytes, contextFor(path));
  if (!result.ok) throw result.error;
  return result.value;
}

async function loadString(html: string): Promise<LoadedDocument> {
  return loadBytes(new Uint8Array(Buffer.from(html, "utf8")));
}

function blocksOf(document: LoadedDocument): ContentBlock[] {
  return document.units.flatMap((unit) => unit.blocks);
}

describe("htmlLoader", () => {
  it.skipIf(withoutCorpus())("reads the Cambridgeshire page: title, heading levels and tables with header names", async () => {
    const document = await loadBytes(new Uint8Array(readFileSync(cambridgeshireHtml)), cambridgeshireHtml);
    expect(document.title).toBe("Cambridgeshire Placement Strategy for Looked After Children 2011-2015");
    const blocks = blocksOf(document);
    expect(blocks).toContainEqual({ kind: "heading", level: 1, text: "Cambridgeshire Children and Young People's Services" });
    expect(blocks).toContainEqual({ kind: "heading", level: 3, text: "1. Support Parents and Parenting" });
    const tables = blocks.filter((block) => block.kind === "table");
    const unitCosts = tables.find((table) => table.header[0] === "Type of Placement");
    expect(unitCosts?.header).toEqual(["Type of Placement", "Cambridgeshire Unit Cost", "Average Unit Cost"]);
    expect(unitCosts?.rows).toContainEqual(["External Foster Care (IFA)", "£838 per week", "£877 per week"]);
    expect(tables.find((table) => table.header.join("|") === "Section|Page")?.rows).toHaveLength(15);
  });

  it.skipIf(withoutCorpus())("finds every table and header that the plain-text copy of the same strategy has", async () => {
    const html = await loadBytes(new Uint8Array(readFileSync(cambridgeshireHtml)), cambridgeshireHtml);
    const text = await textLoader.load(new Uint8Array(readFileSync(cambridgeshireText)), contextFor(cambridgeshireText));
    if (!text.ok) throw text.error;
    const headers = (document: LoadedDocument): string[] =>
      blocksOf(document).flatMap((block) => (block.kind === "table" ? [block.header.join("|")] : []));
    const htmlHeaders = headers(html);
    expect(htmlHeaders.length).toBeGreaterThanOrEqual(10);
    for (const header of headers(text.value)) expect(htmlHeaders).toContain(header);
  });

  it("drops scripts, styles, navigation, site chrome, forms and hidden elements", async () => {
    const document = await loadString(`<!doctype html><html><head><title>Our home</title><style>p{color:red}</style>
      <script>alert(1)</script></head><body>
      <header><a href="/">Council logo</a> Site banner</header>
      <nav><ul><li>Home</li><li>Contact us</li></ul></nav>
      <div role="navigation">Breadcrumb trail</div>
      <main><article><header><h1>Statement of purpose</h1></header>
        <p>We care for four children &amp; young people aged 11&ndash;17.</p>
        <script>document.write("tracking pixel")</script>
        <noscript>Enable JavaScript</noscript>
        <div aria-hidden="true">Decorative icon text</div>
        <p hidden>Hidden draft paragraph</p>
        <form><label>Search</label><input value="query"></form>
        <aside>Related links</aside>
      </article></main>
      <footer>Cookie policy</footer></body></html>`);
    const text = document.units.map(unitText).join("\n");
    expect(document.title).toBe("Our home");
    expect(blocksOf(document)).toEqual([
      { kind: "heading", level: 1, text: "Statement of purpose" },
      { kind: "paragraph", text: "We care for four children & young people aged 11–17." },
    ]);
    for (const dropped of ["alert", "color:red", "Council logo", "Contact us", "Breadcrumb", "tracking", "JavaScript", "Decorative", "Hidden draft", "Search", "Related links", "Cookie"]) {
      expect(text).not.toContain(dropped);
    }
  });

  it("reads th headers, thead, colspan, rowspan and captions", async () => {
    const document = await loadString(`<html><body><table><caption>Placements by type</caption>
      <thead><tr><th rowspan="2">Type</th><th colspan="2">Cost per week</th></tr><tr><th>2010</th><th>2011</th></tr></thead>
      <tbody><tr><td>Residential</td><td>£2,278</td><td>£2,400</td></tr><tr><td>Fostering</td><td colspan="2">£460</td></tr></tbody>
      </table></body></html>`);
    expect(blocksOf(document)).toEqual([
      {
        kind: "table",
        header: ["Type", "Cost per week / 2010", "Cost per week / 2011"],
        rows: [
          ["Residential", "£2,278", "£2,400"],
          ["Fostering", "£460", ""],
        ],
        caption: "Placements by type",
      },
    ]);
  });

  it("walks layout tables as text, and keeps lists, line breaks and preformatted text", async () => {
    const document = await loadString(`<html><body><table><tr><td><h2>Our staff</h2><p>Six carers.</p></td>
      <td><table><tr><td>Name</td><td>Role</td></tr><tr><td>Ann</td><td>Manager</td></tr></table></td></tr></table>
      <ul><li>Day shifts</li><li>Night <b>waking</b> shifts</li></ul><div>Line one<br>Line two</div>
      <pre>  a   b\n  c</pre></body></html>`);
    expect(blocksOf(document)).toEqual([
      { kind: "heading", level: 2, text: "Our staff" },
      { kind: "paragraph", text: "Six carers." },
      { kind: "table", header: ["Name", "Role"], rows: [["Ann", "Manager"]] },
      { kind: "paragraph", text: "Day shifts" },
      { kind: "paragraph", text: "Night waking shifts" },
      { kind: "paragraph", text: "Line one\nLine two" },
      { kind: "paragraph", text: "  a   b\n  c" },
    ]);
  });

  it("respects a declared windows-1252 charset", async () => {
    const head = Buffer.from('<html><head><meta charset="windows-1252"></head><body><p>Fees ', "latin1");
    const bytes = new Uint8Array([...head, 0xa3, 0x35, 0x30, 0x20, 0x96, 0x20, 0x93, 0x6e, 0x65, 0x74, 0x94, ...Buffer.from("</p></body></html>")]);
    expect(declaredCharset(bytes)).toBe("windows-1252");
    expect(htmlLoader.sniff(bytes)).toBe(true);
    expect(blocksOf(await loadBytes(bytes))).toEqual([{ kind: "paragraph", text: "Fees £50 – “net”" }]);
  });

  it("sniffs HTML by its opening tags, not other text", () => {
    expect(htmlLoader.sniff(new Uint8Array(Buffer.from("<!DOCTYPE html>\n<p>x</p>")))).toBe(true);
    expect(htmlLoader.sniff(sampleText().bytes)).toBe(false);
    expect(htmlLoader.sniff(sampleMarkdown().bytes)).toBe(false);
    expect(htmlLoader.sniff(new TextEncoder().encode("Use <b>bold</b> sparingly in the statement of purpose."))).toBe(false);
    // A fragment without <html> or <body> is still HTML when its first markup is a block element.
    expect(htmlLoader.sniff(new Uint8Array(Buffer.from("<!-- exported -->\n<h2>Staffing</h2>\n<p>Ratios are reviewed.</p>")))).toBe(true);
    expect(htmlLoader.sniff(new Uint8Array(Buffer.from("<table><tr><td>£2,278</td></tr></table>")))).toBe(true);
    expect(htmlLoader.sniff(new Uint8Array(Buffer.from("Costs rose <b>sharply</b> this year.")))).toBe(false);
  });

  it("reads deep but sane nesting, and fails absurd nesting cleanly instead of overflowing the stack", async () => {
    const nested = (depth: number): Uint8Array =>
      new Uint8Array(Buffer.from(`<html><body>${"<div>".repeat(depth)}deep text${"</div>".repeat(depth)}</body></html>`));
    expect(blocksOf(await loadBytes(nested(900)))).toEqual([{ kind: "paragraph", text: "deep text" }]);
    const result = await htmlLoader.load(nested(20_000), contextFor("/tmp/nested.html"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^nested\.html: could not read the HTML \(elements nested \d+ deep/);
  });

  it("fails a page with no visible text with NO_TEXT naming the file", async () => {
    const result = await htmlLoader.load(new Uint8Array(Buffer.from("<html><body><script>x()</script><nav>Menu</nav></body></html>")), contextFor("/tmp/shell.html"));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "NO_TEXT", message: expect.stringContaining("shell.html") });
  });
});
