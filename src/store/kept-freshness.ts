/**
 * Whether a value a store kept for its library (a champion list, a phrase count) still holds now: the same library
 * version, or a passage count within `staleShare` of the one it was computed at (a passage written since is still
 * found by the query's rare terms; one removed is skipped when passages are read). The one rule of both stores.
 */
export function keptStillHolds(keptVersion: number, keptPassages: number, version: number, passages: number, staleShare: number): boolean {
  return keptVersion === version || Math.abs(passages - keptPassages) <= staleShare * keptPassages;
}
