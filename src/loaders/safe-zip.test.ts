import { describe, expect, it } from "vitest";
import { contextFor } from "./loader-contract.ts";
import { samplePptx } from "./sample-documents.ts";
import { checkOfficeContainer, isOfficeContainerWith, isOfficeMedia, isZipWith, readZipEntries } from "./safe-zip.ts";
import { defaultLoadLimits } from "./types.ts";
import { buildZip, deflatedEntry, docxBomb, encryptedOfficeHeader, zerosDeflateStream } from "./zip-fixtures.ts";

const gigabyte = 1024 * 1024 * 1024;
const pptxPath = "/tmp/Northshire Placement Strategy.pptx";

/** Runs `work` while sampling resident memory, returning its result, the peak RSS and the time taken. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number; milliseconds: number }> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 10);
  const started = performance.now();
  try {
    const value = await work();
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return { value, peakRss, milliseconds: performance.now() - started };
  } finally {
    clearInterval(sampler);
  }
}

describe("readZipEntries", () => {
  it("reads a PPTX, inflating only the entries the filter keeps", async () => {
    const bytes = samplePptx().bytes;
    const result = await readZipEntries(bytes, contextFor(pptxPath), { entryFilter: (name) => name.startsWith("ppt/slides/") });
    if (!result.ok) throw result.error;
    const names = [...result.value.keys()];
    expect(names).toContain("ppt/slides/slide2.xml");
    expect(names.every((name) => name.startsWith("ppt/slides/"))).toBe(true);
    expect(result.value.get("ppt/slides/slide2.xml")?.toString("utf8")).toContain("External residential");
  });

  it("stops a 5 GB bomb with honest headers before inflating it", async () => {
    const bomb = docxBomb(5 * gigabyte);
    const { value: result, peakRss } = await measured(() => readZipEntries(bomb, contextFor("/tmp/bomb.docx")));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("ZIP_BOMB");
      expect(result.error.message).toBe("bomb.docx: archive inflates beyond the 300 MB limit (zip bomb?)");
    }
    expect(peakRss).toBeLessThan(1.5 * gigabyte);
  });

  it("stops a 5 GB bomb whose headers lie about its size, by counting while inflating", async () => {
    const bomb = docxBomb(5 * gigabyte, 200 * 1024);
    const { value: result, peakRss } = await measured(() => readZipEntries(bomb, contextFor("/tmp/liar.docx")));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("ZIP_BOMB");
      expect(result.error.message).toContain("liar.docx: archive entry word/document.xml inflates beyond its declared size");
    }
    expect(peakRss).toBeLessThan(1.5 * gigabyte);
  });

  it("counts inflated bytes itself, stopping at the total limit without trusting any header", async () => {
    const bomb = docxBomb(5 * gigabyte);
    // A 30 MB limit rather than the default 300 MB (the tests above stop at that one): the stop is the same, after a
    // tenth of the inflating (300 MB of it cost ~6 s of the suite's CPU).
    const limits = { ...defaultLoadLimits, maxInflatedBytes: 30 * 1024 * 1024 };
    const { value: result, peakRss } = await measured(() =>
      readZipEntries(bomb, contextFor("/tmp/streamed.docx", { limits }), { checkDeclaredSizes: false }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toBe("streamed.docx: archive inflates beyond the 30 MB limit (zip bomb?)");
    expect(peakRss).toBeLessThan(1.5 * gigabyte);
  });

  it("stops an entry whose compression ratio is implausible, once it passes 1 MB", async () => {
    const archive = buildZip([{ name: "xl/worksheets/sheet1.xml", data: zerosDeflateStream(64 * 1024 * 1024), declaredSize: 64 * 1024 * 1024, crc: 0 }]);
    const context = contextFor("/tmp/ratio.xlsx", { limits: { ...defaultLoadLimits, maxInflatedBytes: 4 * gigabyte } });
    for (const checkDeclaredSizes of [true, false]) {
      const result = await readZipEntries(archive, context, { checkDeclaredSizes });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe("ZIP_BOMB");
        expect(result.error.message).toMatch(/^ratio\.xlsx: archive entry xl\/worksheets\/sheet1\.xml expands \d+ times \(zip bomb\?\)$/);
      }
    }
  });

  it("accepts small, highly compressible XML parts", async () => {
    const repetitive = "<row><c>0</c></row>".repeat(40_000); // 760 KB, compresses over 1000 times
    const archive = buildZip([deflatedEntry("xl/worksheets/sheet1.xml", repetitive)]);
    const result = await readZipEntries(archive, contextFor("/tmp/small.xlsx"));
    if (!result.ok) throw result.error;
    expect(result.value.get("xl/worksheets/sheet1.xml")?.length).toBe(repetitive.length);
  });

  it("fails bytes that are not a ZIP as CORRUPT_FILE naming the file", async () => {
    const result = await readZipEntries(Buffer.from("PK\u0003\u0004 but nothing else"), contextFor("/tmp/broken.zip"));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("CORRUPT_FILE");
      expect(result.error.message).toMatch(/^broken\.zip: not a valid ZIP archive \(.+\)$/);
      expect(result.error.cause).toBeInstanceOf(Error);
    }
  });
});

describe("checkOfficeContainer", () => {
  it("names a text file posing as DOCX", () => {
    const result = checkOfficeContainer(Buffer.from("just some notes\n"), contextFor("/tmp/notes.docx"), "DOCX");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("MISLABELLED_FILE");
      expect(result.error.message).toBe("notes.docx is not a DOCX file (no ZIP signature)");
    }
  });

  it("recognises a password-protected Office file (CFB container)", () => {
    const result = checkOfficeContainer(encryptedOfficeHeader(), contextFor("/tmp/secret.xlsx"), "XLSX");
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe("ENCRYPTED_FILE");
      expect(result.error.message).toContain("secret.xlsx: password-protected (encrypted Office file)");
    }
  });

  it("treats a bare CFB header as password-protected, and an old binary Word file as mislabelled", () => {
    const bare = Buffer.concat([encryptedOfficeHeader().subarray(0, 512), Buffer.alloc(4096, 0x5a)]);
    const encrypted = checkOfficeContainer(bare, contextFor("/tmp/locked.docx"), "DOCX");
    expect(!encrypted.ok && encrypted.error.code).toBe("ENCRYPTED_FILE");
    const legacy = Buffer.concat([encryptedOfficeHeader().subarray(0, 512), Buffer.from("WordDocument", "utf16le"), Buffer.alloc(512)]);
    const mislabelled = checkOfficeContainer(legacy, contextFor("/tmp/old.docx"), "DOCX");
    expect(!mislabelled.ok && mislabelled.error.code).toBe("MISLABELLED_FILE");
    expect(!mislabelled.ok && mislabelled.error.message).toBe(
      "old.docx is not a DOCX file (it is an older binary Office file; save it as DOCX and add it again)",
    );
  });

  it("fails an empty file as FILE_EMPTY", () => {
    const result = checkOfficeContainer(new Uint8Array(0), contextFor("/tmp/nothing.pptx"), "PPTX");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe("FILE_EMPTY");
  });
});

describe("sniffing helpers", () => {
  it("finds OOXML part names in a package and not in others", () => {
    const bytes = Buffer.from(samplePptx().bytes);
    expect(isZipWith(bytes, ["[Content_Types].xml", "ppt/"])).toBe(true);
    expect(isZipWith(bytes, ["[Content_Types].xml", "word/"])).toBe(false);
    expect(isZipWith(Buffer.from("[Content_Types].xml ppt/"), ["ppt/"])).toBe(false);
    // A password-protected package is a CFB container; the loader, not the sniff, explains it.
    expect(isOfficeContainerWith(encryptedOfficeHeader(), ["ppt/"])).toBe(true);
    expect(isOfficeContainerWith(Buffer.from("plain text"), ["ppt/"])).toBe(false);
  });

  it("treats media and embedded objects as skippable", () => {
    expect(isOfficeMedia("word/media/image1.png")).toBe(true);
    expect(isOfficeMedia("ppt/media/image3.jpeg")).toBe(true);
    expect(isOfficeMedia("ppt/embeddings/oleObject1.bin")).toBe(true);
    expect(isOfficeMedia("word/document.xml")).toBe(false);
    expect(isOfficeMedia("ppt/slides/slide1.xml")).toBe(false);
  });
});
