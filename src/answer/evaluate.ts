/**
 * `hearth eval`: measures search and answers over a question set in the format of
 * ../shared/corpus/dev-questions.json. Search: top-k hit rate and MRR against the gold file and pages. Answers:
 * how often the answer holds an accepted answer, how many citations point at gold pages, whether every quote is
 * verbatim on its page, how many answerable questions get an answer rather than a refusal, whether unanswerable
 * questions (no accepted answers) are refused, and latency.
 */
import * as z from "zod";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import type { Searcher } from "../retrieval/search.ts";
import type { Store } from "../store/types.ts";
import type { Answer } from "./types.ts";
import { createQuoteVerifier } from "./verify-quote.ts";

export const evalQuestionSchema = z.object({
  id: z.string().optional(),
  question: z.string().min(1),
  /** Accepted answer strings; empty means the library cannot answer and the answerer should refuse. */
  answers: z.array(z.string()),
  gold: z.array(z.object({ file: z.string(), pages: z.array(z.number().int().nullable()) })).default([]),
  kind: z.string().optional(),
});

export type EvalQuestion = z.infer<typeof evalQuestionSchema>;

const questionSetSchema = z.array(evalQuestionSchema);

/** Validates a parsed question file; `source` names it in the message. */
export function parseQuestionSet(json: unknown, source: string): Result<EvalQuestion[]> {
  const parsed = questionSetSchema.safeParse(json);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const where = issue ? issue.path.join(".") : "";
  return fail(
    new HearthError("INVALID_INPUT", `${source}: not a question set (${where ? `${where}: ` : ""}${issue?.message ?? "invalid"})`, {
      subject: source,
      cause: parsed.error,
    }),
  );
}

export interface EvaluationDependencies {
  searcher: Searcher;
  answerer: { answer(question: string): Promise<Answer> };
  /** How many search results count as a hit. */
  k: number;
  /** When given, every citation's quote is checked against its page's stored text. */
  store?: Store;
  /** What retrieval is given for a question (the answerer's reading of it); the question itself when absent. */
  retrievalText?: (question: string) => Promise<string> | string;
}

export interface QuestionEvaluation {
  id: string;
  question: string;
  /** The question's kind in the set ("figure", "definition", "absent" ...), or null. */
  kind: string | null;
  /** 1-based rank of the first search result on a gold page, or null when none is in the top k. */
  goldRank: number | null;
  answerHit: boolean;
  /** Every accepted answer string is in the answer (for multi-part answers). */
  allAnswersHit: boolean;
  goldCited: boolean;
  citations: number;
  goldCitations: number;
  /** Citations whose quote is not on the cited page (empty when not checked). */
  unverifiedQuotes: number[];
  expectedRefusal: boolean;
  refused: boolean;
  milliseconds: number;
  answer: Answer;
}

export interface EvaluationSummary {
  questions: number;
  k: number;
  /** Share of answerable questions with a gold page in the top k search results. */
  topKHitRate: number;
  meanReciprocalRank: number;
  /** Share of answerable questions whose answer holds an accepted answer string. */
  answerKeyRate: number;
  /** Share of answerable questions whose answer cites a gold file and page. */
  goldCitationRate: number;
  /** Share of all citations (of answerable questions) that point at a gold file and page. */
  citationPrecision: number;
  /** Share of citations whose quote is verbatim on its page; null when no store was given. */
  quoteVerifiedRate: number | null;
  /** Share of unanswerable questions that were refused, and of answerable ones that were not; null when none. */
  refusalAccuracy: number | null;
  /** Answerable questions in the set (accepted answers given). */
  answerable: number;
  /** Share of answerable questions that got an answer rather than a refusal (a partial answer counts as one). */
  answerRate: number;
  /** Share of answerable questions that were refused: the complement of `answerRate`. */
  refusalRateOnAnswerable: number;
  /** Questions the library cannot answer (no accepted answers; dev2's kind "absent"). */
  absent: number;
  /** Share of those that were refused; null when the set has none. */
  correctRefusalRate: number | null;
  latency: { p50: number; p95: number; max: number };
  details: QuestionEvaluation[];
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ");
}

function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(share * sorted.length) - 1));
  return sorted[index] ?? 0;
}

const ratio = (count: number, total: number): number => (total > 0 ? count / total : 0);

export async function evaluate(questions: EvalQuestion[], dependencies: EvaluationDependencies): Promise<EvaluationSummary> {
  const { searcher, answerer, k, store } = dependencies;
  const verifier = store ? createQuoteVerifier(store) : undefined;
  const documentIds = new Map(store ? (await store.documents.list()).map((document) => [document.fileName, document.id]) : []);

  // One question at a time, as a user asks them (the latencies are per answer).
  const details: QuestionEvaluation[] = [];
  for (const [index, item] of questions.entries()) {
    const isGold = (file: string, page: number | null): boolean =>
      item.gold.some((gold) => gold.file === file && gold.pages.includes(page));
    const results = await searcher.search((await dependencies.retrievalText?.(item.question)) ?? item.question, { limit: k });
    const rankIndex = results.findIndex((result) => isGold(result.fileName, result.page));

    const started = performance.now();
    const answer = await answerer.answer(item.question);
    const milliseconds = performance.now() - started;

    const cited = answer.citations.map((citation) => documentIds.get(citation.file)).filter((id): id is number => id !== undefined);
    await verifier?.load(cited);

    const text = normalise(answer.answer);
    const accepted = item.answers.map(normalise);
    const goldCitations = answer.citations.filter((citation) => isGold(citation.file, citation.page)).length;
    const unverifiedQuotes = verifier
      ? answer.citations
          .filter((citation) => {
            const documentId = documentIds.get(citation.file);
            return documentId === undefined || verifier.verify(documentId, citation.page, citation.quote)?.quote !== citation.quote;
          })
          .map((citation) => citation.n)
      : [];
    details.push({
      id: item.id ?? `q${index + 1}`,
      question: item.question,
      kind: item.kind ?? null,
      goldRank: rankIndex >= 0 ? rankIndex + 1 : null,
      answerHit: accepted.some((expected) => text.includes(expected)),
      allAnswersHit: accepted.length > 0 && accepted.every((expected) => text.includes(expected)),
      goldCited: goldCitations > 0,
      citations: answer.citations.length,
      goldCitations,
      unverifiedQuotes,
      expectedRefusal: item.answers.length === 0,
      refused: answer.refused,
      milliseconds,
      answer,
    });
  }

  const answerable = details.filter((detail) => !detail.expectedRefusal);
  const unanswerable = details.filter((detail) => detail.expectedRefusal);
  const totalCitations = answerable.reduce((sum, detail) => sum + detail.citations, 0);
  const allCitations = details.reduce((sum, detail) => sum + detail.citations, 0);
  const latencies = details.map((detail) => detail.milliseconds).sort((left, right) => left - right);
  return {
    questions: details.length,
    k,
    topKHitRate: ratio(answerable.filter((detail) => detail.goldRank !== null).length, answerable.length),
    meanReciprocalRank: ratio(
      answerable.reduce((sum, detail) => sum + (detail.goldRank ? 1 / detail.goldRank : 0), 0),
      answerable.length,
    ),
    answerKeyRate: ratio(answerable.filter((detail) => detail.answerHit).length, answerable.length),
    goldCitationRate: ratio(answerable.filter((detail) => detail.goldCited).length, answerable.length),
    citationPrecision: ratio(
      answerable.reduce((sum, detail) => sum + detail.goldCitations, 0),
      totalCitations,
    ),
    quoteVerifiedRate: verifier
      ? allCitations === 0
        ? 1
        : ratio(allCitations - details.reduce((sum, detail) => sum + detail.unverifiedQuotes.length, 0), allCitations)
      : null,
    refusalAccuracy:
      unanswerable.length > 0
        ? ratio(details.filter((detail) => detail.refused === detail.expectedRefusal).length, details.length)
        : null,
    answerable: answerable.length,
    answerRate: ratio(answerable.filter((detail) => !detail.refused).length, answerable.length),
    refusalRateOnAnswerable: ratio(answerable.filter((detail) => detail.refused).length, answerable.length),
    absent: unanswerable.length,
    correctRefusalRate: unanswerable.length > 0 ? ratio(unanswerable.filter((detail) => detail.refused).length, unanswerable.length) : null,
    latency: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies.at(-1) ?? 0 },
    details,
  };
}
