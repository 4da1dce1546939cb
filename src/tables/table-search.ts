/**
 * Search that agrees with the data-set answer. A question asking for a figure ("which council had the highest social
 * worker turnover rate in 2024?") is answered from the table the query planner picks, often by its column headings
 * (`turnover_rate_fte`) and values (`Tameside`) rather than words its row passages share with the question: those row
 * passages are long, alike and rank low word by word. When the planner answers the question from a data set, the
 * passage holding the row the figure comes from leads the results, so `hearth search` shows the evidence `hearth ask`
 * computes from. The planner's cost is one pass over the stored tables (as the answer pays anyway), and the row is
 * found with one phrase search inside its own document, so nothing here grows with the library's passages.
 */
import { renderTableRow } from "../chunking/chunk.ts";
import type { SearchOptions, SearchResult, Searcher } from "../retrieval/search.ts";
import { pageKey } from "../retrieval/search.ts";
import { words } from "../retrieval/tokenize.ts";
import type { PassageHit, Store } from "../store/types.ts";
import type { QueryPlan } from "./build-query.ts";
import { analyseQuestion } from "./question-analysis.ts";
import { runTableQuery } from "./run-query.ts";
import { planQuestion } from "./table-answerer.ts";

/** A row's words as one phrase, capped: the whole row is unique in its table, and its first words rarely are. */
const rowPhraseWords = 48;

/** The row a plan's figure comes from: the leading group's (a ranking's top, a change's latest), else the first. */
export function evidenceRow(plan: QueryPlan): number | undefined {
  const result = runTableQuery(plan.data, plan.query);
  const lead = result.groups[0];
  return lead?.to?.rows[0] ?? lead?.rows[0] ?? result.rows[0];
}

/** The stored passage of a data set that holds a row, or undefined when none does (a document ingested differently). */
async function passageHoldingRow(store: Store, documentId: number, cells: string[]): Promise<PassageHit | undefined> {
  const line = renderTableRow(cells).trim();
  const phrase = words(line).slice(0, rowPhraseWords);
  if (phrase.length === 0) return undefined;
  const hits = await store.passages.searchText({ terms: [{ phrase, weight: 1 }], limit: 5, documentIds: [documentId] });
  return hits.find((hit) => hit.text.includes(line)) ?? hits[0];
}

/** The data set's passage for the plan's evidence row, or undefined when the question is not a data-set question. */
async function planPassage(store: Store, query: string, documentIds: readonly number[] | undefined): Promise<PassageHit | undefined> {
  // The plan the answer is computed from (over every table, as `hearth ask` plans), so search leads with the row the
  // answer uses; a PDF's table is cited by its own page, which its passages already rank on.
  const plan = await planQuestion(analyseQuestion(query), store);
  // A limitation ("the table has no column for occupancy") is the table saying it cannot answer: no evidence row.
  if (!plan || plan.limitation || plan.data.page !== null) return undefined;
  if (documentIds && !documentIds.includes(plan.data.record.documentId)) return undefined;
  const row = evidenceRow(plan);
  const cells = row === undefined ? undefined : plan.data.rows[row];
  if (!cells) return undefined;
  return passageHoldingRow(store, plan.data.record.documentId, cells);
}

export function withTableRows(searcher: Searcher, store: Store): Searcher {
  const search = async (query: string, options: SearchOptions): Promise<SearchResult[]> => {
    const [results, evidence] = await Promise.all([searcher.search(query, options), planPassage(store, query, options.documentIds)]);
    if (!evidence) return results;
    const top = results[0]?.score ?? 0;
    const known = results.find((result) => result.chunkId === evidence.chunkId);
    const lead: SearchResult = known
      ? { ...known, score: Math.max(known.score, top) }
      : { ...evidence, score: top, signals: { bm25: 0, coverage: 0, proximity: 0, figures: 0 } };
    // The searcher keeps one passage per page unless told otherwise; a data set's passages share one "page".
    const perPage = options.perPage === undefined ? 1 : options.perPage;
    const rest = results.filter((result) => result.chunkId !== lead.chunkId && (perPage === null || perPage > 1 || pageKey(result) !== pageKey(lead)));
    return [lead, ...rest].slice(0, options.limit);
  };
  return { analyse: (query) => searcher.analyse(query), search };
}
