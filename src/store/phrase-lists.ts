/**
 * A rare phrase's postings as the SQLite store keeps them (src/store/sqlite-text-search.ts, `rareListRows`): every
 * passage holding the phrase, in rowid order, with the phrase's own BM25 there (FTS5's one-phrase bm25(), negated).
 *
 * FTS5's bm25() of an OR of phrases is, for each matching row, 0.0 plus each phrase's term in the order the phrases
 * stand in the expression (a phrase the row lacks adds exactly 0), and each phrase's term is what a query of that
 * phrase alone returns (its IDF is read over the whole index either way; the row's length and the column weights are
 * the row's). So summing the phrases' lists in expression order gives the OR's scores bit for bit, and ordering by
 * score then rowid gives its top k, without FTS5 scoring every matching row again (about 1 µs a row at 1M passages).
 */

export interface PhraseList {
  /** Chunk ids holding the phrase, ascending. */
  ids: Float64Array;
  /** The phrase's own BM25 in each (higher is better), aligned with `ids`. */
  scores: Float64Array;
}

export interface ListedHit {
  chunkId: number;
  score: number;
}

/** Whether this machine stores a Float64Array's bytes little-endian (the blobs' order; a big-endian one reads FTS5). */
export const listsPortable = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** A list as the two blobs kept in `phrase_postings`. */
export function listBlobs(list: PhraseList): { ids: Buffer; scores: Buffer } {
  return { ids: Buffer.from(list.ids.buffer, list.ids.byteOffset, list.ids.byteLength), scores: Buffer.from(list.scores.buffer, list.scores.byteOffset, list.scores.byteLength) };
}

/** A list from its blobs (copied: a Buffer's bytes need not sit at an offset a Float64Array can view); undefined when they disagree. */
export function listFromBlobs(ids: Buffer, scores: Buffer): PhraseList | undefined {
  if (ids.length !== scores.length || ids.length % 8 !== 0) return undefined;
  const copy = (bytes: Buffer): Float64Array => new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return { ids: copy(ids), scores: copy(scores) };
}

/**
 * The best `limit` passages of the OR of `lists` (in the expression's order), as FTS5 orders them: score descending,
 * then chunk id ascending; only ids inside one of `ranges` (inclusive) when given.
 */
export function topOfLists(lists: readonly PhraseList[], limit: number, ranges?: readonly (readonly [number, number])[]): ListedHit[] {
  if (limit <= 0 || lists.length === 0) return [];
  const heads = new Int32Array(lists.length);
  const total = lists.reduce((sum, list) => sum + list.ids.length, 0);
  const ids = new Float64Array(total);
  const scores = new Float64Array(total);
  let count = 0;
  const sortedRanges = ranges === undefined ? undefined : [...ranges].sort((left, right) => left[0] - right[0]);
  let rangeAt = 0;
  for (;;) {
    // The smallest id at any list's head: the lists are in rowid order, so every id is met once, in order.
    let id = Infinity;
    for (let index = 0; index < lists.length; index++) {
      const list = lists[index]!;
      const head = heads[index]!;
      if (head < list.ids.length && list.ids[head]! < id) id = list.ids[head]!;
    }
    if (id === Infinity) break;
    // Summed in the expression's order from 0.0, as FTS5's bm25() sums its phrases' terms.
    let score = 0;
    for (let index = 0; index < lists.length; index++) {
      const list = lists[index]!;
      const head = heads[index]!;
      if (head < list.ids.length && list.ids[head] === id) {
        score += list.scores[head]!;
        heads[index] = head + 1;
      }
    }
    if (sortedRanges !== undefined) {
      while (rangeAt < sortedRanges.length && sortedRanges[rangeAt]![1] < id) rangeAt++;
      // Ranges may overlap: any range from here on that starts at or before the id holds it.
      let inside = false;
      for (let next = rangeAt; next < sortedRanges.length && sortedRanges[next]![0] <= id; next++) {
        if (sortedRanges[next]![1] >= id) {
          inside = true;
          break;
        }
      }
      if (!inside) continue;
    }
    ids[count] = id;
    scores[count] = score;
    count++;
  }
  // The limit-th best score: every passage above it is in, and those equal to it in id order (they are met in id
  // order) until the limit is reached.
  let threshold = -Infinity;
  if (count > limit) {
    const ordered = scores.slice(0, count).sort();
    threshold = ordered[count - limit]!;
  }
  const hits: ListedHit[] = [];
  let tied = 0;
  let above = 0;
  for (let index = 0; index < count; index++) if (scores[index]! > threshold) above++;
  for (let index = 0; index < count; index++) {
    const score = scores[index]!;
    if (score > threshold) hits.push({ chunkId: ids[index]!, score });
    else if (score === threshold && above + tied < limit) {
      hits.push({ chunkId: ids[index]!, score });
      tied++;
    }
  }
  return hits.sort((left, right) => right.score - left.score || left.chunkId - right.chunkId);
}
