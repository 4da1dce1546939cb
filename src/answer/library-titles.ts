/**
 * The stems of every document's file name and title, read once per library state rather than once per answer: a
 * library of ten thousand documents takes tens of milliseconds to list, and answers ask on every question.
 */
import { stems } from "../retrieval/tokenize.ts";
import { libraryDocuments } from "../store/library-documents.ts";
import type { Store } from "../store/types.ts";

const cache = new WeakMap<Pick<Store, "documents" | "passages">, { key: string; stems: string[] }>();

/** File name (without extension) and title stems of all documents, one after another, in listing order. */
export async function libraryTitleStems(store: Pick<Store, "documents" | "passages">): Promise<string[]> {
  // Keyed on the passage statistics, which every write of passages moves (a document re-titled with the very same
  // passages is seen after the next write that changes them).
  const statistics = await store.passages.statistics();
  const key = `${statistics.chunkCount}:${statistics.averageLength}`;
  const cached = cache.get(store);
  if (cached?.key === key) return cached.stems;
  const titleStems = (await libraryDocuments(store)).flatMap((document) => stems(`${document.fileName.replace(/\.[a-z0-9]+$/i, "")} ${document.title ?? ""}`));
  cache.set(store, { key, stems: titleStems });
  return titleStems;
}
