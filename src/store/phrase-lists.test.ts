import { describe, expect, it } from "vitest";
import { listBlobs, listFromBlobs, topOfLists, type PhraseList } from "./phrase-lists.ts";

const list = (entries: [number, number][]): PhraseList => ({ ids: Float64Array.from(entries, ([id]) => id), scores: Float64Array.from(entries, ([, score]) => score) });

describe("topOfLists", () => {
  it("sums each passage's phrases in the lists' order and ranks by score, then id", () => {
    const first = list([
      [1, 0.5],
      [3, 1.25],
      [7, 2],
    ]);
    const second = list([
      [3, 0.75],
      [4, 2],
      [9, 0.1],
    ]);
    expect(topOfLists([first, second], 10)).toEqual([
      { chunkId: 3, score: 2 },
      { chunkId: 4, score: 2 },
      { chunkId: 7, score: 2 },
      { chunkId: 1, score: 0.5 },
      { chunkId: 9, score: 0.1 },
    ]);
  });

  it("keeps the limit, breaking ties at the cut by the smaller id", () => {
    const only = list([
      [2, 1],
      [5, 3],
      [6, 1],
      [8, 1],
    ]);
    expect(topOfLists([only], 3)).toEqual([
      { chunkId: 5, score: 3 },
      { chunkId: 2, score: 1 },
      { chunkId: 6, score: 1 },
    ]);
  });

  it("adds in the expression's order, as FTS5 does (floating point sums depend on it)", () => {
    // 0.1 + 0.2 + 0.3 and 0.3 + 0.2 + 0.1 differ in the last bit.
    const lists = [0.1, 0.2, 0.3].map((score) => list([[1, score]]));
    expect(topOfLists(lists, 1)[0]!.score).toBe(0 + 0.1 + 0.2 + 0.3);
    expect(topOfLists([...lists].reverse(), 1)[0]!.score).toBe(0 + 0.3 + 0.2 + 0.1);
  });

  it("keeps only ids inside the ranges, overlapping or not", () => {
    const only = list(Array.from({ length: 20 }, (_, index): [number, number] => [index + 1, index]));
    const ids = topOfLists([only], 20, [
      [15, 16],
      [2, 4],
      [3, 5],
      [18, 18],
    ]).map((hit) => hit.chunkId);
    expect(ids).toEqual([18, 16, 15, 5, 4, 3, 2]);
    expect(topOfLists([only], 5, [])).toEqual([]);
  });

  it("keeps a list through its blobs", () => {
    const kept = list([
      [1, 0.5],
      [2 ** 40, -1e-300],
    ]);
    const blobs = listBlobs(kept);
    // Read back at an odd offset, as a pooled Buffer may be.
    const shifted = (bytes: Buffer): Buffer => Buffer.concat([Buffer.alloc(3), bytes]).subarray(3);
    expect(listFromBlobs(shifted(blobs.ids), shifted(blobs.scores))).toEqual(kept);
    expect(listFromBlobs(blobs.ids, blobs.scores.subarray(8))).toBeUndefined();
  });
});
