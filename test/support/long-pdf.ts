/** A PDF of `pages` A4 pages built with pdfkit, each a heading and a line of text: the long PDFs the worker tests read. */
export async function longPdf(pages: number, page: (number: number) => { heading: string; text: string }): Promise<Buffer> {
  const { default: PDFDocument } = await import("pdfkit");
  const document = new PDFDocument({ size: "A4", margin: 56 });
  const parts: Buffer[] = [];
  document.on("data", (part: Buffer) => parts.push(part));
  const finished = new Promise((resolve) => document.on("end", resolve));
  for (let number = 1; number <= pages; number++) {
    if (number > 1) document.addPage();
    const { heading, text } = page(number);
    document.fontSize(16).text(heading).moveDown().fontSize(11);
    document.text(text);
  }
  document.end();
  await finished;
  return Buffer.concat(parts);
}
