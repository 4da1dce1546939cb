import { pdfkitPdf } from "../../src/loaders/pdf-fixtures.ts";

/** A PDF of `pages` A4 pages built with pdfkit, each a heading and a line of text: the long PDFs the worker tests read. */
export async function longPdf(pages: number, page: (number: number) => { heading: string; text: string }): Promise<Buffer> {
  const bytes = await pdfkitPdf({ size: "A4", margin: 56 }, (document) => {
    for (let number = 1; number <= pages; number++) {
      if (number > 1) document.addPage();
      const { heading, text } = page(number);
      document.fontSize(16).text(heading).moveDown().fontSize(11);
      document.text(text);
    }
  });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
