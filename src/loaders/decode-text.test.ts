import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeText, decodeWindows1252, looksLikeText, repairMojibake } from "./decode-text.ts";
import { contextFor, corpusPath, withoutCorpus } from "./loader-contract.ts";
import { sampleDocx, samplePdf } from "./sample-documents.ts";

const cambridgeshireText = corpusPath("formats/Cambridgeshire Placement Strategy 2011-2015.txt");
const context = contextFor("/tmp/Legacy notes.txt");

/** Encodes text as Windows-1252, as an old Windows editor would have saved it. */
function encodeWindows1252(text: string): Uint8Array {
  const byCharacter = new Map<string, number>();
  for (let byte = 0; byte < 256; byte += 1) byCharacter.set(decodeWindows1252(new Uint8Array([byte])), byte);
  return new Uint8Array(
    Array.from(text, (character) => {
      const byte = byCharacter.get(character);
      if (byte === undefined) throw new Error(`not in Windows-1252: ${character}`);
      return byte;
    }),
  );
}

function decoded(bytes: Uint8Array, options = {}) {
  const result = decodeText(bytes, context, options);
  if (!result.ok) throw result.error;
  return result.value;
}

describe("decodeText", () => {
  it("reads Windows-1252 bytes (£, curly quotes, en dash) without mojibake", () => {
    // "£1,074 “per week” – 2010" as saved by Notepad on Windows.
    const bytes = new Uint8Array([
      0xa3, 0x31, 0x2c, 0x30, 0x37, 0x34, 0x20, 0x93, 0x70, 0x65, 0x72, 0x20, 0x77, 0x65, 0x65, 0x6b, 0x94, 0x20, 0x96,
      0x20, 0x32, 0x30, 0x31, 0x30,
    ]);
    const value = decoded(bytes);
    expect(value.encoding).toBe("windows-1252");
    expect(value.text).toBe("£1,074 “per week” – 2010");
  });

  it("decodes every Windows-1252 byte in 0x80-0x9F to its printable character", () => {
    expect(decodeWindows1252(new Uint8Array([0x80, 0x85, 0x91, 0x92, 0x97, 0x99, 0x9f]))).toBe("€…‘’—™Ÿ");
  });

  it.skipIf(withoutCorpus())("reads the real Cambridgeshire text as UTF-8, and the same text saved as Windows-1252 identically", () => {
    const bytes = new Uint8Array(readFileSync(cambridgeshireText));
    const utf8 = decoded(bytes);
    expect(utf8.encoding).toBe("utf-8");
    expect(utf8.text).toContain("(£1,074)");
    expect(utf8.text).toContain("Appendix 4 – The Proposed Model of Parent Support");
    const legacy = decoded(encodeWindows1252(utf8.text));
    expect(legacy.encoding).toBe("windows-1252");
    expect(legacy.text).toBe(utf8.text);
  });

  it("strips a UTF-8 byte order mark and honours UTF-16 ones", () => {
    expect(decoded(new Uint8Array([0xef, 0xbb, 0xbf, 0x48, 0x69])).text).toBe("Hi");
    const little = decoded(new Uint8Array([0xff, 0xfe, 0xa3, 0x00, 0x35, 0x00]));
    expect(little).toMatchObject({ text: "£5", encoding: "utf-16le" });
    const big = decoded(new Uint8Array([0xfe, 0xff, 0x20, 0x19, 0x00, 0x73]));
    expect(big).toMatchObject({ text: "’s", encoding: "utf-16be" });
  });

  it("keeps UTF-8 when a truncated file ends inside a multi-byte character", () => {
    const bytes = Buffer.from("children’s home £", "utf8");
    const value = decoded(new Uint8Array(bytes.subarray(0, bytes.length - 1)));
    expect(value.encoding).toBe("utf-8");
    expect(value.text).toBe("children’s home ");
  });

  it("uses a declared single-byte charset only when the bytes are not UTF-8", () => {
    expect(decoded(new Uint8Array([0x93, 0x41, 0x94]), { declaredCharset: "ISO-8859-1" }).text).toBe("“A”");
    expect(decoded(Buffer.from("“A”", "utf8"), { declaredCharset: "windows-1252" }).text).toBe("“A”");
    expect(decoded(new Uint8Array([0xa3, 0x35]), { declaredCharset: "no-such-charset" }).text).toBe("£5");
  });

  it("repairs double-encoded UTF-8 but leaves correct text alone", () => {
    expect(repairMojibake("Â£1,074 for childrenâ€™s homes")).toEqual({ text: "£1,074 for children’s homes", repaired: true });
    expect(repairMojibake("£1,074 “per week” – café")).toEqual({ text: "£1,074 “per week” – café", repaired: false });
    expect(decoded(Buffer.from("childrenâ€™s", "utf8"))).toMatchObject({ text: "children’s", repairedMojibake: true });
  });

  it("fails an empty file with FILE_EMPTY naming the file", () => {
    const result = decodeText(new Uint8Array(0), context);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "FILE_EMPTY", message: "Legacy notes.txt: empty file" });
  });

  it("refuses binary data: NUL bytes, random bytes, a PDF and a DOCX", async () => {
    const samples = [
      new Uint8Array([0x48, 0x69, 0x00, 0x21]),
      new Uint8Array(randomBytes(4096)),
      (await samplePdf()).bytes,
      (await sampleDocx()).bytes,
    ];
    for (const bytes of samples) {
      expect(looksLikeText(bytes)).toBe(false);
      const result = decodeText(bytes, context);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatchObject({ code: "CORRUPT_FILE", message: "Legacy notes.txt: binary data, not text" });
    }
  });

  it("counts control characters: a few are text, many are binary", () => {
    const text = Buffer.from("Line one\fPage two\tcell\r\n", "utf8");
    expect(looksLikeText(new Uint8Array(text))).toBe(true);
    const noisy = new Uint8Array(100).fill(0x41);
    for (let index = 0; index < 15; index += 1) noisy[index * 6] = 0x01;
    expect(looksLikeText(noisy)).toBe(false);
  });
});
