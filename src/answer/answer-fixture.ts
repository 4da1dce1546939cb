/** Test fixture: the shared library ingested once into an in-memory store, with a searcher and an answerer. */
import { readFileSync } from "node:fs";
import { loadConfig } from "../config/config.ts";
import { ingestPaths } from "../ingest/ingest.ts";
import { corpusPath } from "../loaders/loader-contract.ts";
import type { Searcher } from "../retrieval/search.ts";
import { createSearcher } from "../retrieval/search.ts";
import { openSqliteStore } from "../store/sqlite-store.ts";
import type { Store } from "../store/types.ts";
import type { EvalQuestion } from "./evaluate.ts";
import { parseQuestionSet } from "./evaluate.ts";
import type { ExtractiveAnswerer } from "./extractive-answerer.ts";
import { createExtractiveAnswerer } from "./extractive-answerer.ts";

export interface AnswerFixture {
  store: Store;
  searcher: Searcher;
  answerer: ExtractiveAnswerer;
}

export async function libraryFixture(folders: string[] = ["library"]): Promise<AnswerFixture> {
  const config = loadConfig({}, { dataDir: "/nonexistent-hearth-test" });
  if (!config.ok) throw config.error;
  const store = openSqliteStore({ path: ":memory:" });
  const summary = await ingestPaths(
    folders.map((folder) => corpusPath(folder)),
    { store, config: config.value },
  );
  if (summary.ingested === 0) throw new Error("nothing was ingested from the shared corpus");
  const searcher = createSearcher(store);
  return { store, searcher, answerer: createExtractiveAnswerer({ store, searcher }) };
}

export function devQuestions(): EvalQuestion[] {
  const path = corpusPath("dev-questions.json");
  const parsed = parseQuestionSet(JSON.parse(readFileSync(path, "utf8")), path);
  if (!parsed.ok) throw parsed.error;
  return parsed.value;
}

/** Questions the shared library cannot answer: each must be refused, never answered with a made-up figure. */
export const unanswerableQuestions = [
  "What is the fee for an Ofsted registration in Wales?",
  "What is the weekly cost of a secure children's home in Wales?",
  "Who is the Director of Children's Services in Leeds in 2031?",
  "How many children in care does Birmingham have?",
  "What percentage of Somerset's budget is spent on horse riding lessons?",
];
