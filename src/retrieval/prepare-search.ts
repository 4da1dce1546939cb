/**
 * Builds ahead what a first search of the library's common phrases would otherwise build while a user waits: on
 * PostgreSQL past `championFrom` passages, each common phrase's champion list (postgres-champion-search.ts; seconds
 * each at 1M passages, once per library state). Called by the ingestion worker after a batch; a store with nothing to
 * build ahead (SQLite) leaves `prepareSearch` out and this does nothing.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import type { Store } from "../store/types.ts";
import { loadDefaultGlossary } from "./glossary.ts";
import { stopWords } from "./tokenize.ts";

const prepareSearchSettings = z
  .object({ frequentWords: z.number().int().nonnegative(), keptPhrases: z.number().int().nonnegative() })
  .parse(JSON.parse(readFileSync(new URL("./prepare-search.json", import.meta.url), "utf8")));

/**
 * The phrases prepared: every glossary term (the searches' own expansions of a question), the commonest words, and the
 * phrases earlier searches kept lists for (what this library's users ask about).
 */
export async function prepareLibrarySearch(
  store: Pick<Store, "passages">,
  settings: { frequentWords: number; keptPhrases: number } = prepareSearchSettings,
  signal?: AbortSignal,
): Promise<{ built: number; fresh: number; stopped: boolean } | undefined> {
  if (store.passages.prepareSearch === undefined) return undefined;
  const phrases = [...new Set(loadDefaultGlossary().groups.flatMap((group) => group.map((variant) => variant.words.join(" "))))];
  return store.passages.prepareSearch({ phrases, frequentWords: settings.frequentWords, keptPhrases: settings.keptPhrases, except: [...stopWords], ...(signal ? { signal } : {}) });
}
