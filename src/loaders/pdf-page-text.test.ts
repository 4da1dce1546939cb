import type * as mupdf from "mupdf";
import { describe, expect, it } from "vitest";
import { combineTextStats, documentTextStats, textStatsPart } from "./pdf-layout.ts";
import type { PdfPageText } from "./pdf-layout.ts";
import { claimPages, listedPages, readPages } from "./pdf-page-text.ts";

/** Takes pages for two claimers on one shared counter in the given turns (0: forward, 1: backward) until both stop. */
function claimInTurns(pageCount: number, turns: (step: number) => 0 | 1): { forward: number[]; backward: number[] } {
  const counter = new Int32Array(new SharedArrayBuffer(8));
  const claimers = [claimPages(counter, pageCount, "forward"), claimPages(counter, pageCount, "backward")] as const;
  const taken: [number[], number[]] = [[], []];
  const done = [false, false];
  for (let step = 0; !(done[0] && done[1]); step++) {
    const turn = done[0] ? 1 : done[1] ? 0 : turns(step);
    const index = claimers[turn]();
    if (index === undefined) done[turn] = true;
    else taken[turn].push(index);
  }
  return { forward: taken[0], backward: taken[1] };
}

describe("claimPages: two threads reading one PDF from both ends", () => {
  it("hands every page out exactly once, a run from the front and a run from the back, whatever the turns", () => {
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const schedules: Array<(step: number) => 0 | 1> = [() => 0, () => 1, (step) => (step % 2 === 0 ? 0 : 1), (step) => (step % 5 === 0 ? 1 : 0), () => (random() < 0.5 ? 0 : 1)];
    for (const pageCount of [1, 2, 3, 80, 506]) {
      for (const schedule of schedules) {
        const { forward, backward } = claimInTurns(pageCount, schedule);
        expect(forward).toEqual(Array.from({ length: forward.length }, (_, index) => index));
        expect(backward).toEqual(Array.from({ length: backward.length }, (_, index) => pageCount - 1 - index));
        expect(forward.length + backward.length).toBe(pageCount);
        expect(new Set([...forward, ...backward]).size).toBe(pageCount);
      }
    }
  });

  it("goes forward by default (one thread reads every page in order)", () => {
    const counter = new Int32Array(new SharedArrayBuffer(8));
    const next = claimPages(counter, 4);
    expect([next(), next(), next(), next(), next()]).toEqual([0, 1, 2, 3, undefined]);
  });
});

function page(number: number, lines: Array<{ text: string; size: number }>): PdfPageText {
  return {
    page: number,
    width: 600,
    height: 800,
    lines: lines.map((line, index) => ({ x0: 50, y0: 200 + index * 20, x1: 300, y1: 212 + index * 20, text: line.text, size: line.size, bold: false, block: 0 })),
    hasImage: false,
    characters: lines.reduce((sum, line) => sum + line.text.length, 0),
  };
}

describe("textStatsPart: pages in any order", () => {
  // Two sizes with the same number of characters: the body size is the one the document shows first (page 1), though
  // a thread reading from the back sees the other first (page 3, first line).
  const pages = [
    page(1, [{ text: "Body text on page one", size: 10 }]),
    page(2, [{ text: "Other size, page two!", size: 12 }]),
    page(3, [
      { text: "Twelve", size: 12 },
      { text: "Ten it", size: 10 },
    ]),
    page(4, [{ text: "Heading", size: 18 }]),
  ];

  it("finds the same statistics from pages given last first (the worker reads from the back)", () => {
    const inOrder = documentTextStats(pages);
    expect(inOrder.bodySize).toBe(10);
    expect(inOrder.headingSizes).toEqual([18, 12]);
    expect(combineTextStats([textStatsPart([...pages].reverse())])).toEqual(inOrder);
    expect(combineTextStats([textStatsPart(pages.slice(0, 1)), textStatsPart(pages.slice(1).reverse())])).toEqual(inOrder);
  });
});

describe("readPages: which failure is reported", () => {
  // A document whose every page fails, each with its own reason.
  const broken = {
    loadPage(index: number): never {
      throw new Error(`page ${index + 1} is broken`);
    },
  } as unknown as mupdf.Document;

  it("keeps the lowest unreadable page's reason, in whichever order the pages were tried", async () => {
    const backward = await readPages(broken, listedPages([6, 4, 2]), () => Date.now() + 60_000, []);
    expect(backward.unreadable).toEqual([7, 5, 3]);
    expect(backward.firstFailure).toBe("page 3 is broken");
    const forward = await readPages(broken, listedPages([2, 4, 6]), () => Date.now() + 60_000, []);
    expect(forward.firstFailure).toBe("page 3 is broken");
  });
});
