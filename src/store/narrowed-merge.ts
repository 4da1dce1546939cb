/**
 * How both stores merge a narrowed search (a library past the posting budget): the rarest phrases' ranking and the
 * fill of the commoner ones, each an exact top k of its own. One function, so SQLite and PostgreSQL keep returning
 * the same top k (src/store/postgres/postgres-sqlite-narrowed-agreement.test.ts).
 */
interface RankedHit {
  chunkId: number;
  score: number;
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
