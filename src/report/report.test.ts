import { describe, expect, it } from "vitest";
import { fixtureGeneratedAt, fixtureSession } from "./fixtures/session-fixture.ts";
import { renderMarkdownReport } from "./markdown-report.ts";
import { parseReportFormat, renderReport } from "./report.ts";

describe("renderReport", () => {
  const options = { generatedAt: fixtureGeneratedAt };

  it("returns the Markdown report as UTF-8 bytes", async () => {
    const buffer = await renderReport(fixtureSession, "md", options);
    expect(buffer.toString("utf8")).toBe(renderMarkdownReport(fixtureSession, options));
    expect(buffer.toString("utf8")).toContain("£2,278 – a figure the strategy calls the “quoted” weekly cost");
  });

  it("returns a DOCX (a zip holding word/document.xml) and a PDF for the other formats", async () => {
    const docx = await renderReport(fixtureSession, "docx", options);
    expect(docx.subarray(0, 2).toString("latin1")).toBe("PK");
    expect(docx.includes(Buffer.from("word/document.xml"))).toBe(true);
    const pdf = await renderReport(fixtureSession, "pdf", options);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.subarray(-6).toString("latin1")).toContain("%%EOF");
  });

  it("renders a session with no exchanges yet in every format", async () => {
    const empty = { name: "New session", createdAt: "2026-03-14T09:00:00Z", exchanges: [] };
    const markdown = (await renderReport(empty, "md", options)).toString("utf8");
    expect(markdown).toBe(
      "# New session — Hearth Strategy Session Report\n\nGenerated 14 March 2026 at 10:30 · 0 exchanges · Every [n] marker refers to the numbered source below it.\n\n",
    );
    expect((await renderReport(empty, "docx", options)).subarray(0, 2).toString("latin1")).toBe("PK");
    expect((await renderReport(empty, "pdf", options)).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });
});

describe("parseReportFormat", () => {
  it("accepts the three formats in any case, with a dot, and 'markdown'", () => {
    expect(parseReportFormat("md")).toEqual({ ok: true, value: "md" });
    expect(parseReportFormat(".DOCX")).toEqual({ ok: true, value: "docx" });
    expect(parseReportFormat(" Pdf ")).toEqual({ ok: true, value: "pdf" });
    expect(parseReportFormat("markdown")).toEqual({ ok: true, value: "md" });
  });

  it("names the bad value and the choices", () => {
    const result = parseReportFormat("odt");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("INVALID_INPUT");
    expect(result.error.message).toBe('report format "odt": not one of md, docx, pdf');
  });
});
