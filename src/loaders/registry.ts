/** Chooses a loader by file extension and checks the bytes agree, so a mislabelled file gets a clear reason. */
import { extname } from "node:path";
import { csvLoader } from "./csv.ts";
import { docxLoader } from "./docx.ts";
import { htmlLoader } from "./html.ts";
import { markdownLoader } from "./markdown.ts";
import { pdfLoader } from "./pdf.ts";
import { pptxLoader } from "./pptx.ts";
import { textLoader } from "./text.ts";
import type { DocumentLoader } from "./types.ts";
import { xlsxLoader } from "./xlsx.ts";

export const allLoaders: readonly DocumentLoader[] = [
  pdfLoader,
  pptxLoader,
  docxLoader,
  xlsxLoader,
  htmlLoader,
  markdownLoader,
  csvLoader,
  textLoader,
];

export const supportedExtensions: readonly string[] = allLoaders.flatMap((loader) => loader.extensions);

export function loaderForFile(fileName: string, loaders: readonly DocumentLoader[] = allLoaders): DocumentLoader | undefined {
  const extension = extname(fileName).toLowerCase();
  return loaders.find((loader) => loader.extensions.includes(extension));
}

/** What the bytes look like, for the message about a mislabelled file. */
export function describeContent(bytes: Uint8Array): string {
  const head = Buffer.from(bytes.subarray(0, 8));
  if (head.subarray(0, 5).toString("latin1") === "%PDF-") return "a PDF";
  if (head[0] === 0x50 && head[1] === 0x4b) return "a ZIP archive";
  if (head.readUInt32BE(0) === 0xd0cf11e0) return "an encrypted or legacy Office (OLE) file";
  if (head[0] === 0x89 && head.subarray(1, 4).toString("latin1") === "PNG") return "a PNG image";
  if (head[0] === 0xff && head[1] === 0xd8) return "a JPEG image";
  if (textLoader.sniff(bytes)) return "plain text";
  return "unrecognised binary data";
}
