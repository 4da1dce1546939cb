/**
 * Settings kept for a document's content, keyed by its content hash. They belong to the document: each store
 * deletes them with it in the same transaction (`DocumentStore.remove`, and an older version's when `replace` writes
 * a new one), so a removed document leaves none behind and the same bytes added again start afresh.
 */
import * as z from "zod";
import type { SettingDefinition } from "./types.ts";

/**
 * The chunking version a document with this content hash was last chunked by (absent: version 1, from before it was
 * kept): `hearth ingest` and uploads read a document again when it is older than src/chunking/chunking-version.ts.
 */
export function chunkedBySetting(contentHash: string): SettingDefinition<number> {
  return { key: `chunking-version:${contentHash}`, schema: z.number().int().positive() };
}

/** The keys of every setting kept for this content, deleted with its document. */
export function contentSettingKeys(contentHash: string): string[] {
  return [chunkedBySetting(contentHash).key];
}
