/**
 * What `hearth eval` (and `npm run eval:all`) measure with: search as `hearth search` ranks, given the question as
 * the answerer reads it (typos corrected, task words set aside), and answers as `hearth ask` gives them (data-set
 * questions computed from the stored tables, source authority applied). Its own module so that `eval-command.ts`
 * loads the answerer only when the command runs.
 */
import type { EvaluationDependencies } from "../answer/evaluate.ts";
import { createExtractiveAnswerer } from "../answer/extractive-answerer.ts";
import { addOutOfDateNotes, withSourceAuthority } from "../authority/source-authority.ts";
import { createSearcher } from "../retrieval/search.ts";
import { attributeVoice } from "../identity/attribute-voice.ts";
import { withDocumentIdentity } from "../identity/identity-search.ts";
import type { Store } from "../store/types.ts";
import { prepareTables, withTableAnswers } from "../tables/table-answerer.ts";
import { withTableRows } from "../tables/table-search.ts";

export { evaluate, parseQuestionSet } from "../answer/evaluate.ts";

export async function evaluationDependencies(store: Store, k: number): Promise<EvaluationDependencies> {
  await prepareTables(store);
  const searcher = withDocumentIdentity(createSearcher(store), store);
  const extractive = createExtractiveAnswerer({ store, searcher: withSourceAuthority(searcher, store) });
  // Search as hearth search ranks: a data-set question's evidence row first (the row its answer is computed from).
  const shown = withTableRows(searcher, store);
  const answerer = withTableAnswers(store, extractive);
  return {
    searcher: shown,
    answerer: { answer: async (question) => addOutOfDateNotes(await attributeVoice(await answerer.answer(question), store), store) },
    k,
    store,
    retrievalText: async (question) => (await extractive.analyse(question)).text,
  };
}
