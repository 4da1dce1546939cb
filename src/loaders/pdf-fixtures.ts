/**
 * Test support: writes a PDF byte by byte from its objects, so a test controls exactly what the text layer says (a
 * font's encoding, a ToUnicode map) without committing binaries. Only tests import this file.
 */

/** A PDF of `objects` (object 1 the catalogue, numbered in order) with its cross-reference table and trailer. */
export function pdfFromObjects(objects: readonly string[]): Uint8Array {
  let text = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(text.length);
    text += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("")}`;
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(text, "latin1"));
}

/** A PDF that `draw` writes with pdfkit (a new document of `options`), as bytes once pdfkit has finished it. */
export async function pdfkitPdf(options: PDFKit.PDFDocumentOptions, draw: (document: PDFKit.PDFDocument) => void): Promise<Uint8Array> {
  const { default: PDFDocument } = await import("pdfkit");
  const document = new PDFDocument(options);
  const parts: Buffer[] = [];
  document.on("data", (part: Buffer) => parts.push(part));
  const finished = new Promise<void>((resolve) => document.on("end", () => resolve()));
  draw(document);
  document.end();
  await finished;
  return new Uint8Array(Buffer.concat(parts));
}
