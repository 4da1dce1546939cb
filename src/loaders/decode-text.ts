/**
 * Bytes to text for the text formats (plain text, Markdown, HTML, CSV). UTF-8 first (with or without a byte
 * order mark), UTF-16 when a BOM says so, and Windows-1252 when the bytes are not valid UTF-8, which is what
 * older Office "Save as text" and many council websites produce. Binary data is refused rather than decoded
 * into noise.
 */
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { LoadContext } from "./types.ts";

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252" | (string & {});

export interface DecodedText {
  text: string;
  /** The encoding the bytes were read as. */
  encoding: TextEncodingName;
  /** True when double-encoded UTF-8 ("Â£", "â€™") was found and repaired. */
  repairedMojibake: boolean;
}

export interface DecodeOptions {
  /** A charset the file itself declares (HTML `<meta charset>`); used when the bytes are not valid UTF-8. */
  declaredCharset?: string;
}

/** How much of the start of a file the binary check looks at. */
const sniffWindowBytes = 8192;
/** Share of control characters above which the bytes are taken to be binary. */
const maxControlShare = 0.1;

type ByteOrderMark = { encoding: "utf-8" | "utf-16le" | "utf-16be"; length: number };

function byteOrderMark(bytes: Uint8Array): ByteOrderMark | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: "utf-8", length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le", length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be", length: 2 };
  return null;
}

/** Control bytes that never occur in text; tab, line feed, form feed, carriage return and escape are allowed. */
function isControlByte(byte: number): boolean {
  return (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d && byte !== 0x1b) || byte === 0x7f;
}

/** Binary formats whose first kilobytes can pass for text (a PDF's header objects are plain ASCII). */
const binarySignatures: readonly (readonly number[])[] = [
  [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  [0x50, 0x4b, 0x03, 0x04], // ZIP (DOCX, PPTX, XLSX)
  [0xd0, 0xcf, 0x11, 0xe0], // OLE (legacy or encrypted Office)
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
];

function hasBinarySignature(bytes: Uint8Array): boolean {
  return binarySignatures.some((signature) => signature.every((byte, index) => bytes[index] === byte));
}

/**
 * True when the bytes look like text: a UTF-16 BOM, or no known binary signature, no NUL byte and few control
 * characters in the first 8 KB. Cheap enough to use as a loader's `sniff`.
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  const mark = byteOrderMark(bytes);
  if (mark !== null && mark.encoding !== "utf-8") return true;
  if (hasBinarySignature(bytes)) return false;
  const window = bytes.subarray(mark?.length ?? 0, sniffWindowBytes);
  if (window.length === 0) return false;
  let controls = 0;
  for (const byte of window) {
    if (byte === 0) return false;
    if (isControlByte(byte)) controls += 1;
  }
  return controls / window.length <= maxControlShare;
}

/**
 * Windows-1252 bytes 0x80-0x9F (WHATWG index; the five undefined bytes stay C1 controls). Node 20.18.3+ decodes
 * "windows-1252" as Latin-1 and turns curly quotes into control characters (nodejs/node#60888), so the table is
 * applied here rather than trusting TextDecoder.
 */
const windows1252High = [
  "\u20ac", "\u0081", "\u201a", "\u0192", "\u201e", "\u2026", "\u2020", "\u2021",
  "\u02c6", "\u2030", "\u0160", "\u2039", "\u0152", "\u008d", "\u017d", "\u008f",
  "\u0090", "\u2018", "\u2019", "\u201c", "\u201d", "\u2022", "\u2013", "\u2014",
  "\u02dc", "\u2122", "\u0161", "\u203a", "\u0153", "\u009d", "\u017e", "\u0178",
];

export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("latin1")
    .replace(/[\u0080-\u009f]/g, (character) => windows1252High[character.charCodeAt(0) - 0x80] ?? character);
}

/** Windows-1252 character to byte, for undoing double-encoded UTF-8. */
const windows1252Bytes: ReadonlyMap<string, number> = (() => {
  const map = new Map<string, number>();
  for (let byte = 0x80; byte <= 0xff; byte += 1) map.set(decodeWindows1252(new Uint8Array([byte])), byte);
  return map;
})();

/**
 * A UTF-8 lead byte (as Windows-1252: Â-ô) followed by continuation bytes (0x80-0xBF as Windows-1252). Only such
 * runs are candidates, so a lone "£" or curly quote in correctly decoded text is never touched.
 */
const continuation = "[\\u0080-\\u00bf\\u0152\\u0153\\u0160\\u0161\\u0178\\u017d\\u017e\\u0192\\u02c6\\u02dc\\u2013\\u2014\\u2018-\\u201a\\u201c-\\u201e\\u2020-\\u2022\\u2026\\u2030\\u2039\\u203a\\u20ac\\u2122]";
const mojibakeRun = new RegExp(
  `[\\u00c2-\\u00df]${continuation}|[\\u00e0-\\u00ef]${continuation}{2}|[\\u00f0-\\u00f4]${continuation}{3}`,
  "g",
);

/** Repairs UTF-8 that was once decoded as Windows-1252 and saved again ("Â£1,074", "childrenâ€™s"). */
export function repairMojibake(text: string): { text: string; repaired: boolean } {
  const strict = new TextDecoder("utf-8", { fatal: true });
  let repaired = false;
  const result = text.replace(mojibakeRun, (run) => {
    const bytes: number[] = [];
    for (const character of run) {
      const byte = windows1252Bytes.get(character);
      if (byte === undefined) return run;
      bytes.push(byte);
    }
    try {
      const decoded = strict.decode(new Uint8Array(bytes));
      repaired = true;
      return decoded;
    } catch {
      // Not a valid UTF-8 sequence: the characters are genuine (e.g. "Ã" followed by a symbol).
      return run;
    }
  });
  return { text: result, repaired };
}

function decoderFor(label: string | undefined): InstanceType<typeof TextDecoder> | null {
  if (label === undefined) return null;
  try {
    return new TextDecoder(label.trim().toLowerCase());
  } catch {
    // An unknown or misspelled charset in the file: fall back to the default.
    return null;
  }
}

/**
 * Decodes a text file. Fails with FILE_EMPTY for no bytes and CORRUPT_FILE for binary data, naming the file.
 * The text comes back without a BOM; line endings are left as they are.
 */
export function decodeText(bytes: Uint8Array, context: LoadContext, options: DecodeOptions = {}): Result<DecodedText, HearthError> {
  if (bytes.length === 0) {
    return fail(new HearthError("FILE_EMPTY", `${context.fileName}: empty file`, { subject: context.path }));
  }
  if (!looksLikeText(bytes)) {
    return fail(new HearthError("CORRUPT_FILE", `${context.fileName}: binary data, not text`, { subject: context.path }));
  }
  const mark = byteOrderMark(bytes);
  if (mark !== null && mark.encoding !== "utf-8") {
    const text = new TextDecoder(mark.encoding).decode(bytes.subarray(mark.length));
    return ok({ text, encoding: mark.encoding, repairedMojibake: false });
  }
  const body = bytes.subarray(mark?.length ?? 0);
  let utf8Text: string | null = null;
  try {
    // Streaming mode holds back an incomplete sequence at the very end (a truncated file) instead of failing.
    utf8Text = new TextDecoder("utf-8", { fatal: true }).decode(body, { stream: true });
  } catch {
    // Not UTF-8; decoded below as the declared charset or Windows-1252.
    utf8Text = null;
  }
  if (utf8Text !== null) {
    const repaired = repairMojibake(utf8Text);
    return ok({ text: repaired.text, encoding: "utf-8", repairedMojibake: repaired.repaired });
  }
  const declared = decoderFor(options.declaredCharset);
  // WHATWG reads latin1, iso-8859-1 and ascii labels as windows-1252 too.
  if (declared === null || declared.encoding === "utf-8" || declared.encoding === "windows-1252") {
    return ok({ text: decodeWindows1252(body), encoding: "windows-1252", repairedMojibake: false });
  }
  return ok({ text: declared.decode(body), encoding: declared.encoding, repairedMojibake: false });
}
