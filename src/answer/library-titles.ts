/**
 * The stems of every document's file name and title, read once per library state rather than once per answer: a
 * library of ten thousand documents takes tens of milliseconds to list, and answers ask on every question.
 */
import { stems } from "../retrieval/tokenize.ts";
import { libraryDocuments, perLibraryVersion } from "../store/library-documents.ts";
import type { Store } from "../store/types.ts";

/** File name (without extension) and title stems of all documents, one after another, in listing order. */
export const libraryTitleStems: (store: Pick<Store, "documents" | "version">, version?: number) => Promise<string[]> = perLibraryVersion(async (store, version) =>
  (await libraryDocuments(store, version)).flatMap((document) => stems(`${document.fileName.replace(/\.[a-z0-9]+$/i, "")} ${document.title ?? ""}`)),
);
