/**
 * A store whose library-wide look-ups are read once per library version: `documents.list`, `tables.list`,
 * `passages.statistics`, `settings.get` (per key) and `settings.getFamily` (per prefix). Answering one question asks
 * for them many times (the searcher, the identity and authority checks, the answerer each ask again); on PostgreSQL
 * each ask is a round trip, and under load those round trips cost as much CPU as the search itself. The answer
 * threads call `refresh()` before every question: one read of `Store.version()`, and the remembered values are
 * dropped only when it moved (another process wrote), so an answer sees one consistent library and the next sees any
 * change. Any call that is not a known read (a write) forgets everything at once, so the work sees its own writes.
 * `passages.documentFrequencies` is remembered per term: a question asks for its terms three or four times (the
 * searcher, the answerer, the identity and table checks), and the next question about the same subject asks for
 * most of them again; only the terms not yet known for this library version are read.
 */
import type { SettingDefinition, SettingFamily, Store } from "./types.ts";

export interface MemoizedStore {
  store: Store;
  /** Drops every remembered value. */
  forget(): void;
  /** Before each piece of work: reads the library version once and forgets everything when it has moved. */
  refresh(): Promise<void>;
}

/** Methods that only read; every other method of a part is treated as a write. */
const reads = new Set([
  "findByHash",
  "findByPath",
  "list",
  "get",
  "unitTexts",
  "chunks",
  "checkIntegrity",
  "searchText",
  "getPassages",
  "documentFrequencies",
  "statistics",
  "withoutEmbedding",
  "vectorSearch",
  "embeddingStatus",
  "rows",
  "getFamily",
]);

/** Per part, the reads worth remembering: they take no argument (or a setting, remembered by its key). */
const remembered: Record<string, Set<string>> = {
  documents: new Set(["list"]),
  tables: new Set(["list"]),
  passages: new Set(["statistics"]),
  settings: new Set(["get", "getFamily"]),
};

export function memoizeReads(inner: Store): MemoizedStore {
  const memo = new Map<string, Promise<unknown>>();
  /** Document frequencies per term, for the remembered library version (cleared with the memo). */
  const frequencies = new Map<string, number>();
  /** Moves whenever the remembered values are dropped, so a read begun before then is not kept after. */
  let generation = 0;
  /** The version the remembered values belong to (read by refresh, or by the first version() after a forget). */
  let version: Promise<number> | undefined;
  const forget = (): void => {
    memo.clear();
    frequencies.clear();
    generation++;
    version = undefined;
  };
  const readVersion = (): Promise<number> => {
    if (version === undefined) {
      const read = inner.version();
      version = read;
      read.catch(() => {
        if (version === read) version = undefined;
      });
    }
    return version;
  };
  const refresh = async (): Promise<void> => {
    const known = version;
    const current = await inner.version();
    if (known === undefined || (await known.catch(() => undefined)) !== current) {
      forget();
      version = Promise.resolve(current);
    }
  };

  const wrapPart = <Part extends object>(partName: string, part: Part): Part =>
    new Proxy(part, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== "function" || typeof property !== "string") return value;
        const method = value as (...args: unknown[]) => Promise<unknown>;
        if (partName === "passages" && property === "documentFrequencies") {
          return async (terms: string[]): Promise<Map<string, number>> => {
            const missing = [...new Set(terms.filter((term) => !frequencies.has(term)))];
            const known = new Map(terms.flatMap((term) => (frequencies.has(term) ? [[term, frequencies.get(term) ?? 0] as const] : [])));
            if (missing.length > 0) {
              const asked = generation;
              const read = (await method.apply(target, [missing])) as Map<string, number>;
              for (const term of missing) known.set(term, read.get(term) ?? 0);
              // Kept only if nothing forgot the library version meanwhile (a write, or another process's change).
              if (generation === asked) for (const term of missing) frequencies.set(term, read.get(term) ?? 0);
            }
            // Every term asked for, as the stores answer (a term in no passage counts 0).
            return new Map(terms.map((term) => [term, known.get(term) ?? 0]));
          };
        }
        if (remembered[partName]?.has(property)) {
          return (...args: unknown[]) => {
            const setting = args[0] as (Partial<SettingDefinition<unknown>> & Partial<SettingFamily<unknown>>) | undefined;
            const argument = partName !== "settings" ? "" : property === "getFamily" ? (setting?.prefix ?? "") : (setting?.key ?? "");
            const key = `${partName}.${property}\u0000${argument}`;
            let result = memo.get(key);
            if (!result) {
              result = method.apply(target, args);
              memo.set(key, result);
              // A failed read is not remembered: the next caller asks again.
              result.catch(() => memo.delete(key));
            }
            return result;
          };
        }
        if (reads.has(property)) return method.bind(target);
        return async (...args: unknown[]) => {
          forget();
          try {
            return await method.apply(target, args);
          } finally {
            forget();
          }
        };
      },
    });

  const store: Store = {
    kind: inner.kind,
    location: inner.location,
    documents: wrapPart("documents", inner.documents),
    passages: wrapPart("passages", inner.passages),
    tables: wrapPart("tables", inner.tables),
    sessions: inner.sessions,
    settings: wrapPart("settings", inner.settings),
    version: readVersion,
    close: () => inner.close(),
  };
  return { store, forget, refresh };
}
