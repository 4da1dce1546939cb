/**
 * The one contract suite every DocumentLoader must pass (like hono's shared router suite). Each loader's own
 * test file calls `describeLoaderContract` with a sample it builds itself (src/loaders/sample-documents.ts), so
 * the contract runs on any clone, and a real sample from ../shared/corpus, loaded when the corpus is there.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { corpus, withoutCorpus } from "../../test/support/corpus.ts";
import type { SampleDocument } from "./sample-documents.ts";
import type { ContentBlock, DocumentLoader, LoadContext } from "./types.ts";
import { defaultLoadLimits } from "./types.ts";

export { withoutCorpus };
export { sharedDir } from "../../test/support/corpus.ts";

export function corpusPath(relative: string): string {
  return corpus(relative);
}

export function contextFor(path: string, overrides: Partial<LoadContext> = {}): LoadContext {
  return {
    path,
    fileName: basename(path),
    limits: defaultLoadLimits,
    ocr: { enabled: false, command: "tesseract", language: "eng" },
    ...overrides,
  };
}

/** A corpus file as a loader read it, and how long that took. */
export interface CorpusLoad {
  result: Awaited<ReturnType<DocumentLoader["load"]>>;
  milliseconds: number;
}

const corpusLoads = new Map<string, Promise<CorpusLoad>>();

/**
 * A corpus file read by `loader` once per test process with the default context, for every test that checks that
 * read: the contract's real sample and a format's own tests of the same file (the West Sussex workbook took seconds
 * of CPU each time). Callers only read the result.
 */
export function loadCorpusFile(loader: DocumentLoader, path: string): Promise<CorpusLoad> {
  const key = `${loader.format}\u0000${path}`;
  let loading = corpusLoads.get(key);
  if (loading === undefined) {
    loading = (async () => {
      const started = performance.now();
      const result = await loader.load(new Uint8Array(readFileSync(path)), contextFor(path));
      return { result, milliseconds: performance.now() - started };
    })();
    corpusLoads.set(key, loading);
  }
  return loading;
}

export interface LoaderContractCase {
  /** A sample of this format the test builds itself: the contract runs on it everywhere. */
  fixture: () => Promise<SampleDocument> | SampleDocument;
  /** A real sample file of this format in ../shared/corpus, loaded too when the corpus is there. */
  samplePath: string;
  /** Words that must appear somewhere in the real sample's text. */
  expectedWords: string[];
  /** Whether units carry page numbers (PDF pages, PPTX slides). */
  paged: boolean;
}

export function unitText(unit: { blocks: ContentBlock[] }): string {
  return unit.blocks
    .map((block) =>
      block.kind === "table" ? [block.header.join(" "), ...block.rows.map((row) => row.join(" "))].join("\n") : block.text,
    )
    .join("\n");
}

export function describeLoaderContract(loader: DocumentLoader, testCase: LoaderContractCase): void {
  describe(`DocumentLoader contract: ${loader.format}`, () => {
    let sample: SampleDocument;
    let bytes: Uint8Array;
    beforeAll(async () => {
      sample = await testCase.fixture();
      bytes = sample.bytes;
    });

    it("recognises its own format by content", () => {
      expect(loader.sniff(bytes)).toBe(true);
      expect(loader.extensions.length).toBeGreaterThan(0);
      expect(loader.extensions).toContain(sample.fileName.slice(sample.fileName.lastIndexOf(".")).toLowerCase());
    });

    const expectTextUnits = async (loading: Promise<CorpusLoad["result"]>, words: readonly string[]): Promise<void> => {
      const result = await loading;
      if (!result.ok) throw result.error;
      const document = result.value;
      expect(document.format).toBe(loader.format);
      expect(document.units.length).toBeGreaterThan(0);
      const allText = document.units.map(unitText).join("\n");
      for (const word of words) expect(allText).toContain(word);
      for (const unit of document.units) {
        for (const block of unit.blocks) {
          if (block.kind === "table") expect(block.rows.length + block.header.length).toBeGreaterThan(0);
          else expect(block.text.trim().length).toBeGreaterThan(0);
        }
      }
    };

    it("loads a built sample into units with text", async () => {
      await expectTextUnits(loader.load(bytes, contextFor(`/tmp/${sample.fileName}`)), sample.expectedWords);
    });

    it.skipIf(withoutCorpus())("loads a real sample into units with text", async () => {
      await expectTextUnits(loadCorpusFile(loader, testCase.samplePath).then((loaded) => loaded.result), testCase.expectedWords);
    });

    it(testCase.paged ? "numbers pages from 1 in order" : "cites by section, without page numbers", async () => {
      const result = await loader.load(bytes, contextFor(`/tmp/${sample.fileName}`));
      if (!result.ok) throw result.error;
      const pages = result.value.units.map((unit) => unit.page);
      if (testCase.paged) {
        expect(pages[0]).toBe(1);
        pages.forEach((page, index) => expect(page).toBe(index + 1));
      } else {
        for (const page of pages) expect(page).toBeNull();
      }
    });

    it("fails an empty file with a reason naming the file", async () => {
      const result = await loader.load(new Uint8Array(0), contextFor("/tmp/empty-file"));
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.message).toContain("empty-file");
        expect(result.error.code).toBeTypeOf("string");
      }
    });

    it("fails random bytes cleanly, never throwing", async () => {
      const noise = new Uint8Array(randomBytes(4096));
      const result = await loader.load(noise, contextFor("/tmp/noise.bin"));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toContain("noise.bin");
    });

    it("handles a truncated file without throwing", async () => {
      const truncated = bytes.slice(0, Math.floor(bytes.length / 3));
      const result = await loader.load(truncated, contextFor("/tmp/truncated-sample"));
      if (!result.ok) expect(result.error.message).toContain("truncated-sample");
      else expect(result.value.format).toBe(loader.format);
    });
  });
}
