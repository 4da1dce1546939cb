/**
 * Passage counts per stem (how many passages hold each stem, text and context together), as `term_passages` keeps
 * them: the one counter behind the SQLite store's writes, run in the writing thread or in the passage-terms worker
 * (passage-terms-thread.ts), which must count exactly alike.
 *
 * Each stem gets a number the first time it is met, so a passage's distinct stems are found by marking numbers
 * (no Set of strings per passage) and the counts are an array; a token's stem number is remembered per counter, so
 * a word costs one Map lookup however often it recurs. Stems are kept in the order first met, which is the order the
 * counts are saved in (the same order a Map of stem -> change would give).
 */
import { stemToken, tokenize } from "./passage-tokens.ts";

/** Stems in the order first met, with each one's change in passage count (parallel arrays). */
export interface StemCounts {
  stems: string[];
  counts: number[];
}

export class StemPassageCounter {
  readonly #stemNumbers = new Map<string, number>();
  readonly #tokenNumbers = new Map<string, number>();
  readonly #contextNumbers = new Map<string, number[]>();
  readonly #stems: string[] = [];
  readonly #counts: number[] = [];
  /** The last passage each stem was counted for (so a passage counts a stem once). */
  readonly #lastPassage: number[] = [];
  #passage = 0;

  #numberOfStem(stem: string): number {
    let number = this.#stemNumbers.get(stem);
    if (number === undefined) {
      number = this.#stems.length;
      this.#stemNumbers.set(stem, number);
      this.#stems.push(stem);
      this.#counts.push(0);
      this.#lastPassage.push(0);
    }
    return number;
  }

  #numberOfToken(token: string): number {
    let number = this.#tokenNumbers.get(token);
    if (number === undefined) {
      number = this.#numberOfStem(stemToken(token));
      this.#tokenNumbers.set(token, number);
    }
    return number;
  }

  /**
   * Counts one passage in (`change` 1) or out (-1): each distinct stem of its text's tokens (`tokenize(text)`) and
   * of its context, once. A document's passages share a few contexts (its name and headings): each is tokenised once.
   */
  countPassage(textTokens: readonly string[], context: string, change: 1 | -1): void {
    const passage = ++this.#passage;
    const lastPassage = this.#lastPassage;
    const counts = this.#counts;
    for (const token of textTokens) {
      const number = this.#numberOfToken(token);
      if (lastPassage[number] !== passage) {
        lastPassage[number] = passage;
        counts[number]! += change;
      }
    }
    let contextNumbers = this.#contextNumbers.get(context);
    if (contextNumbers === undefined) {
      contextNumbers = tokenize(context).map((token) => this.#numberOfToken(token));
      this.#contextNumbers.set(context, contextNumbers);
    }
    for (const number of contextNumbers) {
      if (lastPassage[number] !== passage) {
        lastPassage[number] = passage;
        counts[number]! += change;
      }
    }
  }

  /** Adds counts made elsewhere (another counter's `result()`), keeping the order stems were first met. */
  addCounts(other: StemCounts): void {
    other.stems.forEach((stem, index) => {
      this.#counts[this.#numberOfStem(stem)]! += other.counts[index] ?? 0;
    });
  }

  result(): StemCounts {
    return { stems: this.#stems, counts: this.#counts };
  }
}

/** The passage counts of these passages' stems, counted in (what a worker computes for the writing thread). */
export function countPassageStems(passages: ReadonlyArray<{ text: string; context: string }>): StemCounts {
  const counter = new StemPassageCounter();
  for (const passage of passages) counter.countPassage(tokenize(passage.text), passage.context, 1);
  return counter.result();
}

/**
 * Passages as one message to a worker: their texts joined in one string with where each ends, and each distinct
 * context once with which one each passage has. Copying one long string costs a fraction of copying thousands of
 * small objects (the structured clone of 2,145 passages as objects took ~15-30 ms of the writing thread).
 */
export interface PackedPassages {
  texts: string;
  ends: Int32Array;
  contexts: string[];
  contextOf: Int32Array;
}

export function packPassages(passages: ReadonlyArray<{ text: string; context: string }>): PackedPassages {
  const ends = new Int32Array(passages.length);
  const contextOf = new Int32Array(passages.length);
  const contextNumbers = new Map<string, number>();
  let end = 0;
  passages.forEach((passage, index) => {
    end += passage.text.length;
    ends[index] = end;
    let number = contextNumbers.get(passage.context);
    if (number === undefined) {
      number = contextNumbers.size;
      contextNumbers.set(passage.context, number);
    }
    contextOf[index] = number;
  });
  return { texts: passages.map((passage) => passage.text).join(""), ends, contexts: [...contextNumbers.keys()], contextOf };
}

export function unpackPassages(packed: PackedPassages): Array<{ text: string; context: string }> {
  const passages: Array<{ text: string; context: string }> = [];
  let start = 0;
  packed.ends.forEach((end, index) => {
    passages.push({ text: packed.texts.slice(start, end), context: packed.contexts[packed.contextOf[index]!]! });
    start = end;
  });
  return passages;
}
