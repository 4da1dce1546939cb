/** What a command says when the library has nothing in it yet: how to add documents, not just "no answer". */
import type { Store } from "../store/types.ts";
import type { CliIo } from "./program.ts";

export const emptyLibraryHint =
  "hearth: the library is empty. Add documents first: hearth ingest <folder or files> (PDF, DOCX, PPTX, XLSX, CSV, HTML, Markdown or text)\n";

/** Writes the hint to stderr when the store holds no passages; true when it did. */
export async function warnWhenLibraryEmpty(store: Pick<Store, "passages">, io: CliIo): Promise<boolean> {
  if ((await store.passages.statistics()).chunkCount > 0) return false;
  io.stderr.write(emptyLibraryHint);
  return true;
}
