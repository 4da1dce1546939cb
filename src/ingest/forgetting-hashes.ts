/** A view of a store that never reports a known hash, so that re-ingesting an unchanged file reads it again. */
import type { Store } from "../store/types.ts";

export function forgettingHashes(store: Store): Store {
  const documents = { ...store.documents, findByHash: async () => undefined };
  return new Proxy(store, {
    get(target, key) {
      if (key === "documents") return documents;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
