/**
 * A store that counts its `version()` reads (each one a round trip on PostgreSQL), for tests of how often a piece of
 * work reads the library version; every other member is the store's own.
 */
import type { Store } from "../types.ts";

export function countedVersionReads(store: Store): { store: Store; reads(): number } {
  let reads = 0;
  const counted = new Proxy(store, {
    get(target, key) {
      if (key === "version") {
        return async (): Promise<number> => {
          reads++;
          return target.version();
        };
      }
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === "function" ? (value as (...parts: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: counted, reads: () => reads };
}
