/**
 * How both stores narrow a search past the posting budget, and merge it: which phrases are rare enough to OR, which
 * commoner ones are AND-ed as the fill, and how the two rankings (each an exact top k of its own) are merged. One
 * piece of code, so SQLite and PostgreSQL keep returning the same top k
 * (src/store/postgres/postgres-sqlite-narrowed-agreement.test.ts).
 */
interface RankedHit {
  chunkId: number;
  score: number;
}

export interface CountedPhrase {
  /** The phrase's stems. */
  phrase: string[];
  /** How many passages may hold it (an upper bound from the store's counts). */
  passages: number;
}

/**
 * `counted` rarest first: the rarest phrases while their passages fit the budget (`rare`, OR-ed), the rest
 * (`common`), and the commoner phrases to AND as the fill, rarest first, until their expected overlap (as if
 * independent) fits the budget (`together`).
 */
export function splitByBudget(counted: readonly CountedPhrase[], budget: number, passageCount: number): { rare: string[][]; common: CountedPhrase[]; together: string[][] } {
  const rare: string[][] = [];
  let spent = 0;
  let next = 0;
  while (next < counted.length && spent + counted[next]!.passages <= budget) {
    rare.push(counted[next]!.phrase);
    spent += counted[next]!.passages;
    next++;
  }
  const common = counted.slice(next);
  const together: string[][] = [];
  let expected = passageCount;
  for (const entry of common) {
    together.push(entry.phrase);
    expected = (expected * entry.passages) / Math.max(1, passageCount);
    if (together.length >= 2 && expected <= budget) break;
  }
  return { rare, common, together };
}

const byScore = (left: RankedHit, right: RankedHit): number => right.score - left.score || left.chunkId - right.chunkId;

/** Each passage once, at its better score of the two rankings, best first. */
export function bestOfBoth<Hit extends RankedHit>(first: readonly Hit[], second: readonly Hit[]): Hit[] {
  const best = new Map(first.map((hit) => [hit.chunkId, hit]));
  for (const hit of second) {
    if ((best.get(hit.chunkId)?.score ?? -Infinity) < hit.score) best.set(hit.chunkId, hit);
  }
  return [...best.values()].sort(byScore);
}

/**
 * The rarest phrases' best keep most of the places; the fill takes its share (`fillShare` of `limit`); the rest go to
 * whichever is next. Best first.
 */
export function mergeRareAndFill<Hit extends RankedHit>(rareHits: readonly Hit[], fillHits: readonly Hit[], limit: number, fillShare: number): Hit[] {
  if (fillHits.length === 0) return [...rareHits];
  const kept = new Map<number, Hit>();
  const reserved = Math.ceil(limit * (1 - fillShare));
  for (const hit of rareHits.slice(0, reserved)) kept.set(hit.chunkId, hit);
  for (const hit of fillHits) {
    if (kept.size >= limit || kept.size - reserved >= Math.floor(limit * fillShare)) break;
    if (!kept.has(hit.chunkId)) kept.set(hit.chunkId, hit);
  }
  for (const hit of [...rareHits.slice(reserved), ...fillHits]) {
    if (kept.size >= limit) break;
    if (!kept.has(hit.chunkId)) kept.set(hit.chunkId, hit);
  }
  return [...kept.values()].sort(byScore);
}
