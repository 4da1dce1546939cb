/**
 * Records what the grounded answerer would send a model for each replay question: the passages retrieval picks
 * over a library (library/ + real/ of the shared corpus), with their files, pages and headings. The replies in
 * test/replay/cases/*.json were then written by hand from these prompts; a recorded case is never re-recorded
 * (retrieval changes would shift the passage numbers its reply cites), only new ones are added.
 *
 *   HEARTH_DATA=<a data dir with library/ and real/ ingested> node --import tsx test/replay/record-prompts.ts id "question" [kind]
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withSourceAuthority } from "../../src/authority/source-authority.ts";
import { loadConfig } from "../../src/config/config.ts";
import { createSearcher } from "../../src/retrieval/search.ts";
import { openSqliteStore } from "../../src/store/sqlite-store.ts";

const [id, question, kind = "answer"] = process.argv.slice(2);
if (!id || !question) throw new Error('usage: record-prompts.ts <id> "<question>" [answer|draft]');
const config = loadConfig(process.env);
if (!config.ok) throw config.error;
const store = openSqliteStore({ dataDir: config.value.dataDir });
const searcher = withSourceAuthority(createSearcher(store), store);
const results = await searcher.search(question, { limit: 8, perPage: 2 });
const casesDir = new URL("./cases/", import.meta.url).pathname;
mkdirSync(casesDir, { recursive: true });
const path = join(casesDir, `${id}.json`);
if (existsSync(path)) throw new Error(`${path} exists: recorded cases are not re-recorded`);
const passages = results.map((result) => ({
  file: result.fileName,
  format: result.format,
  title: result.title,
  page: result.page,
  section: result.section,
  headingPath: result.headingPath,
  kind: result.kind,
  text: result.text,
}));
writeFileSync(path, `${JSON.stringify({ id, kind, question, passages, reply: [] }, null, 1)}\n`);
await store.close();
console.log(`${path}: ${passages.length} passages`);
