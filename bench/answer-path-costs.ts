/**
 * `node --import tsx bench/answer-path-costs.ts <library folder>`: what the answer path costs besides its searches
 * on a large library (issue 14): the per-question checks the library version replaced (listing every document,
 * reading every document's identity tag) against what is left (one version read), and reading every identity once
 * per library version (cold, warm, and after one tag changes). CPU milliseconds of this process, median of a few
 * runs. It tags one document (and restores the tag): run it on a copy of a library, never on one in use.
 */
import { libraryAuthorities } from "../src/authority/source-authority.ts";
import { identityTagSetting, libraryIdentities } from "../src/identity/document-identity.ts";
import { libraryDocuments } from "../src/store/library-documents.ts";
import { openStore } from "../src/store/open-store.ts";
import { backfillDataTables } from "../src/tables/backfill.ts";
import { median } from "./statistics.ts";

const folder = process.argv[2];
if (!folder) throw new Error("usage: bench/answer-path-costs.ts <library folder>");
const store = await openStore({ url: folder });

async function cpu(label: string, work: () => Promise<unknown>, runs = 5): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = process.cpuUsage();
    await work();
    const spent = process.cpuUsage(started);
    times.push((spent.user + spent.system) / 1000);
  }
  const middle = median(times);
  console.log(`${label.padEnd(72)} ${middle.toFixed(2).padStart(10)} ms`);
  return middle;
}

const documents = await store.documents.list();
console.log(`${folder}: ${documents.length} documents, ${(await store.passages.statistics()).chunkCount} passages`);
console.log("Per question, before (main):");
await cpu("  list every document (libraryDocuments' old key missed, backfill's list)", () => store.documents.list());
await cpu("  every document's identity tag (identity search's staleness check)", () =>
  Promise.all(documents.map((document) => store.settings.get(identityTagSetting(document.fileName)))), 3);
console.log("Per question, now:");
await cpu("  Store.version()", () => store.version(), 50);
await backfillDataTables(store);
await cpu("  table backfill check (unchanged library)", () => backfillDataTables(store), 20);
await libraryDocuments(store);
await cpu("  libraryDocuments (unchanged library)", () => libraryDocuments(store), 20);
await libraryAuthorities(store);
await cpu("  libraryAuthorities (unchanged library)", () => libraryAuthorities(store), 20);
console.log("Once per library version:");
await cpu("  every identity, first time in the process (guesses read from pages where none is stored)", async () => (await libraryIdentities(store)).all(), 1);
await cpu("  every identity again, same version (one version read)", async () => (await libraryIdentities(store)).all(), 20);
const first = documents[0]!;
const previous = await store.settings.get(identityTagSetting(first.fileName));
let flip = 0;
await cpu("  every identity after one tag changed (four reads, in-memory rebuild)", async () => {
  await store.settings.set(identityTagSetting(first.fileName), { date: flip++ % 2 === 0 ? "2020" : "2021" });
  return (await libraryIdentities(store)).all();
}, 3);
await store.settings.set(identityTagSetting(first.fileName), previous ?? {});
await store.close();
