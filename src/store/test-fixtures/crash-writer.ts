/**
 * Child process for crash-recovery.test.ts: writes large documents to a file store in a loop until it is killed.
 * Usage: node --import tsx crash-writer.ts <dataDir> <corpus text file> <first sequence number>
 * Prints "begin N" before and "commit N" after each write (stdout to a pipe is synchronous on Linux and macOS, so
 * a printed commit happened). Document N goes to path slot N % 3 with a content hash unique to N.
 */
import { openSqliteStore } from "../sqlite-store.ts";
import { sampleDocument } from "./sample-documents.ts";

const [dataDir, corpusFile, first] = process.argv.slice(2);
if (dataDir === undefined || corpusFile === undefined || first === undefined) {
  console.error("usage: crash-writer.ts <dataDir> <corpus text file> <first sequence number>");
  process.exit(2);
}

const base = sampleDocument(corpusFile, { format: "text", paged: true });
// Five copies of the document's passages: ~1,000 passages, so a write takes long enough to be killed inside.
const copies = 5;
const units = Array.from({ length: copies }, (_, copy) =>
  base.units.map((unit) => ({ ...unit, index: copy * base.units.length + unit.index, page: copy * base.units.length + (unit.page ?? 0) + 1 })),
).flat();
const chunks = Array.from({ length: copies }, (_, copy) =>
  base.chunks.map((chunk) => ({ ...chunk, ordinal: copy * base.chunks.length + chunk.ordinal })),
).flat();

const store = openSqliteStore({ dataDir });
process.stdout.write("ready\n");
for (let sequence = Number(first); ; sequence += 1) {
  process.stdout.write(`begin ${sequence}\n`);
  await store.documents.replace(
    {
      ...base.document,
      fileName: `slot-${sequence % 3}.txt`,
      sourcePath: `/library/slot-${sequence % 3}.txt`,
      contentHash: `${base.document.contentHash}-${sequence}`,
      warnings: [`sequence ${sequence}`],
    },
    units,
    chunks,
  );
  process.stdout.write(`commit ${sequence}\n`);
}
