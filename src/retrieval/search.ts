/**
 * Retrieval tuned for this field: BM25 candidates from the store's full-text index, reranked by how much of the
 * question each passage covers (with glossary variants), how close the question's words sit together, exact
 * figures, and whether the document itself is about a place or body the question names.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import type { PassageHit, Store, TextQuery } from "../store/types.ts";
import type { Glossary } from "./glossary.ts";
import { loadDefaultGlossary } from "./glossary.ts";
import type { AnalysedQuery, Concept, ConceptForm } from "./query.ts";
import { analyseQuery, positionsOutsideTerms, positionsOutsideTermsWhere } from "./query.ts";
import type { QuestionShape } from "./question-shape.ts";
import { classifyQuestion, definesTerm, hasSearchedShape } from "./question-shape.ts";
import type { StemPositions } from "./stem-positions.ts";
import { findSequence, stemPositionFinder } from "./stem-positions.ts";
import { cachedStems, stems, stopWords, words } from "./tokenize.ts";
import { createTextCache } from "./text-cache.ts";
import { isDataSetFormat } from "../loaders/data-set-format.ts";
import { libraryDocuments } from "../store/library-documents.ts";

export interface SearchOptions {
  /** How many results to return. */
  limit: number;
  /** At most this many passages from one page (null: no cap). */
  perPage?: number | null;
  /** How many full-text candidates to rerank (search-weights.json's `candidates` unless told). */
  candidates?: number;
  documentIds?: number[];
  /** The question's shape, when the caller has read it already (the answerer); otherwise it is read from the query. */
  shape?: QuestionShape;
  /**
   * The library version the caller has read for this piece of work (`Store.version()`), so that the search does not
   * read it again; read once per search otherwise.
   */
  libraryVersion?: number;
  /**
   * Called once the main full-text search has returned, before its follow-ups and the rerank (not at all by a search
   * that ends before it: a question with nothing to search for). A caller with another search to make starts it then,
   * so that it runs beside this one's follow-ups and rerank but after the reads this one began with (which it may
   * then find remembered).
   */
  onMainSearched?: () => void;
}

export interface SearchResult extends PassageHit {
  /** Parts of the score, for tuning and for `--explain`. */
  signals: { bm25: number; coverage: number; proximity: number; figures: number };
}

export interface Searcher {
  analyse(query: string): AnalysedQuery;
  search(query: string, options: SearchOptions): Promise<SearchResult[]>;
}

/** The reranking weights, from search-weights.json beside this file. */
const weights = z
  .object({
    candidates: z.number().int().min(1),
    bm25: z.number(),
    coverage: z.number(),
    proximity: z.number(),
    figure: z.number(),
    secondOnPage: z.number(),
    answerShape: z.number(),
    offSubject: z.number(),
    ownProvision: z.number(),
    adjacentPhrase: z.number().min(0),
    titleGapWords: z.number().int().min(0),
    definition: z.number().min(0),
    dataSetCandidates: z.number().int().min(0),
    citedProvision: z.object({
      results: z.number().int().min(0),
      share: z.number().min(0).max(1),
      minimumCoverage: z.number().min(0).max(1),
      provisionWords: z.array(z.string().regex(/^[a-z]+$/)).min(1),
      labelsPerPassage: z.number().int().min(1),
      candidatesPerProvision: z.number().int().min(1),
    }),
    credit: z.object({
      variant: z.number().min(0).max(1),
      title: z.number().min(0).max(1),
      heading: z.number().min(0).max(1),
      headNoun: z.number().min(0).max(1),
    }),
  })
  .parse(JSON.parse(readFileSync(new URL("./search-weights.json", import.meta.url), "utf8")));

/**
 * Whether a title holds a term of three or more words in order with a few words between its own: "Inspection of
 * Blackpool local authority children's services" is an "inspection of local authority children's services" (ILACS)
 * with the council's name set into it. Shorter terms must match exactly ("net gain" is not "net ... gain").
 * `mayStandBetween`: which words may fill those gaps (any, unless told: the answerer allows only the question's own).
 */
export function titleHoldsTerm(title: readonly string[], term: readonly string[], gapWords: number, mayStandBetween: (stem: string) => boolean = () => true): boolean {
  if (term.length === 0) return false;
  // Only where the term's first stem stands can either match start (a document's title is asked about for each of a
  // question's forms, for each of the ~200 documents a large library's candidates come from).
  const first = term[0]!;
  let starts: number[] | undefined;
  for (let start = title.indexOf(first); start !== -1; start = title.indexOf(first, start + 1)) {
    let offset = 1;
    while (offset < term.length && title[start + offset] === term[offset]) offset++;
    if (offset === term.length) return true;
    (starts ??= []).push(start);
  }
  if (starts === undefined || term.length < 3 || gapWords === 0) return false;
  for (const start of starts) {
    let at = start;
    let gaps = 0;
    let matched = 1;
    for (let next = start + 1; next < title.length && matched < term.length && gaps <= gapWords; next++) {
      if (title[next] === term[matched]) {
        matched++;
        at = next;
      } else if (mayStandBetween(title[next] ?? "")) gaps++;
      else break;
    }
    if (matched === term.length && gaps <= gapWords && at >= start) return true;
  }
  return false;
}

/** A document's file name (without its extension) and title as stems: what a question's terms are matched against. */
function titleStems(document: { fileName: string; title: string | null }): string[] {
  return stems(`${document.fileName.replace(/\.[a-z0-9]+$/i, "")} ${document.title ?? ""}`);
}

/** What the rerank reads from a passage besides its BM25 (`weights` say how much each counts). */
interface RerankFeatures {
  coverage: number;
  proximity: number;
  figures: number;
  offSubject: number;
  shaped: number;
  defining: number;
  ownProvision: number;
}

/**
 * How many hits are reranked between two looks at the follow-up searches' replies (~70 µs a hit at 1M passages: a
 * slice is about 2 ms, so a reply waits at most that long; each look costs a turn of the event loop).
 */
const rerankSlice = 25;

/** How many documents' label stems a searcher keeps (a few MB at most; a larger library's refill as they come back). */
const documentLabelLimit = 50_000;

/** Whether a passage known through its stem finder holds a term's stems starting at a position. */
const holdsIn =
  (text: StemPositions) =>
  (term: readonly string[], start: number): boolean =>
    start >= 0 && text.find(term).includes(start);

/** Whether a title or heading holds a form, not counting its one stem inside a term it is kept out of ("Looked After"). */
function placeHoldsForm(place: readonly string[], form: ConceptForm, gapWords: number): boolean {
  if (form.notWithin) return positionsOutsideTerms(place, form, findSequence(place, form.stems)).length > 0;
  return titleHoldsTerm(place, form.stems, gapWords);
}

function inverseDocumentFrequency(total: number, frequency: number): number {
  return Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
}

export function createSearcher(store: Store, glossary: Glossary = loadDefaultGlossary()): Searcher {
  const analyse = (query: string): AnalysedQuery => analyseQuery(query, glossary);

  const conceptWeights = async (concepts: Concept[]): Promise<{ weights: number[]; frequencies: Map<string, number>; total: number }> => {
    const allWords = [...new Set(concepts.flatMap((concept) => concept.forms.flatMap((form) => form.words)))];
    // One look-up with every word of the question (the store contract's batching rule), and the library's size beside
    // it: two round trips at once on a networked store.
    const [frequencies, statistics] = await Promise.all([store.passages.documentFrequencies(allWords), store.passages.statistics()]);
    const total = Math.max(1, statistics.chunkCount);
    const weights = concepts.map((concept) => {
      const formWeights = concept.forms
        .filter((form) => form.original)
        .map((form) => Math.max(...form.words.map((word) => inverseDocumentFrequency(total, frequencies.get(word) ?? 0))));
      const base = formWeights.length > 0 ? Math.max(...formWeights) : 1;
      return (concept.kind === "figure" ? base + 2 : base) * concept.weightFactor;
    });
    return { weights, frequencies, total };
  };

  /**
   * A passage's file name and title as stems, kept per document: every passage of a document shares them. Kept by
   * document id rather than by the label's text (as `cachedStems` keeps texts): building each candidate's label (a
   * pattern replaced, strings joined) and hashing it to find its stems was about 2 ms of a search over 200 candidates
   * at 1M passages in a slow phase of the machine, and half that by id. An entry is used only for a hit with the same
   * file name and title, the only things its stems are made from: nothing here depends on a document id never
   * meaning another document.
   */
  const documentLabels = new Map<number, { fileName: string; title: string | null; stems: readonly string[] }>();
  const fileStemsOf = (hit: PassageHit): readonly string[] => {
    const known = documentLabels.get(hit.documentId);
    if (known !== undefined && known.fileName === hit.fileName && known.title === hit.title) return known.stems;
    const labelStems = Object.freeze(titleStems(hit));
    // Bounded like the other caches here: emptied when full (a library of more documents than this refills it).
    if (documentLabels.size >= documentLabelLimit) documentLabels.clear();
    documentLabels.set(hit.documentId, { fileName: hit.fileName, title: hit.title, stems: labelStems });
    return labelStems;
  };
  /** A passage's headings and section as stems, kept by text: passages of one section share them. */
  const headingStemsOf = (hit: PassageHit): readonly string[] => cachedStems(`${hit.headingPath.join(" ")} ${hit.section ?? ""}`);

  /** A passage's section label as its stems joined ("regul 45"), compared with each form asked about. */
  const sectionStemsOf = (hit: PassageHit): string => cachedStems(hit.section ?? "").join(" ");

  /**
   * Concepts that name a document's subject: words of the question found in some file name or title
   * ("Nottinghamshire", "Somerset", "Leeds"). A passage from a document about something else is unlikely to answer.
   */
  /** The library's documents other than data sets (CSV, XLSX: thousands of row passages), kept per library state. */
  let proseCache: { key: number; ids: number[]; dataSets: { id: number; title: string[] }[] } | undefined;
  const documentKinds = async (key: number): Promise<{ ids: number[]; dataSets: { id: number; title: string[] }[] }> => {
    if (proseCache?.key !== key) {
      const documents = await libraryDocuments(store, key);
      proseCache = {
        key,
        ids: documents.filter((document) => !isDataSetFormat(document.format)).map((document) => document.id),
        dataSets: documents
          .filter((document) => isDataSetFormat(document.format))
          .map((document) => ({ id: document.id, title: titleStems(document) })),
      };
    }
    return proseCache;
  };
  const proseDocumentIds = async (version: number): Promise<number[]> => (await documentKinds(version)).ids;

  interface TitleStems {
    key: number;
    titles: string[][];
    byStem: Map<string, string[][]>;
    /** How many titles hold a form or a stem sequence (`countTitles`), for this library state. */
    counts: Map<string, number>;
  }
  let titleCache: TitleStems | undefined;
  const documentStems = async (key: number): Promise<TitleStems> => {
    // Recomputed only when the library changes (the library version moves with every write, by any process).
    if (titleCache?.key !== key) {
      const titles = (await libraryDocuments(store, key))
        .map(titleStems);
      // Titles by each stem they hold, so a question's word is looked for in the few titles that could hold it, not in
      // every title of a library of thousands.
      const byStem = new Map<string, string[][]>();
      for (const title of titles) {
        for (const stem of new Set(title)) {
          const holding = byStem.get(stem);
          if (holding) holding.push(title);
          else byStem.set(stem, [title]);
        }
      }
      titleCache = { key, titles, byStem, counts: new Map() };
    }
    return titleCache;
  };
  /**
   * How many titles `holds` accepts, counted once per library state under `key`. `holds` accepts only titles holding
   * every one of `stems` (a form or a sequence of them), so only the titles holding the one of them that the fewest
   * titles hold are tried: at 1M passages a form's first stem is often a common one ("children", in thousands of
   * titles), and each new question's forms were tried on every title holding it (about 1 ms a form).
   */
  const countTitles = (cache: TitleStems, key: string, stems: readonly string[], holds: (title: readonly string[]) => boolean): number => {
    let count = cache.counts.get(key);
    if (count === undefined) {
      let fewest: string[][] = [];
      stems.forEach((stem, index) => {
        const holding = cache.byStem.get(stem) ?? [];
        if (index === 0 || holding.length < fewest.length) fewest = holding;
      });
      count = fewest.filter(holds).length;
      if (cache.counts.size >= 10_000) cache.counts.clear();
      cache.counts.set(key, count);
    }
    return count;
  };

  /**
   * The data sets searched on their own for a few candidates: only those whose title or file name holds a word of the
   * question that few titles hold (searching every row of every data set for every question would cost as much as
   * the rest of the search). None when no data set is named so.
   */
  const dataSetSearch = async (analysed: AnalysedQuery, terms: TextQuery["terms"], version: number): Promise<PassageHit[]> => {
    const libraryTitles = await documentStems(version);
    const named = analysed.concepts
      .filter((concept) => concept.kind !== "figure")
      .flatMap((concept) => concept.forms.filter((form) => form.original && form.stems.some((token) => token.length > 2)))
      .map((form) => form.stems)
      .filter(
        (formStems) =>
          countTitles(libraryTitles, `sequence${JSON.stringify(formStems)}`, formStems, (title) => findSequence(title, formStems).length > 0) <=
          Math.max(1, libraryTitles.titles.length / 3),
      );
    const dataSets = (await documentKinds(version)).dataSets
      .filter((dataSet) => named.some((formStems) => findSequence(dataSet.title, formStems).length > 0))
      .map((dataSet) => dataSet.id);
    return dataSets.length > 0 ? store.passages.searchText({ terms, limit: weights.dataSetCandidates, documentIds: dataSets }) : [];
  };

  /**
   * The hits the main search's follow-ups add, in order (each hit once): the prose fallback or the data sets' own
   * search, then each provision asked for by number. `mainHits`: the main search's (of at most `limit`), which they
   * leave out and take their scale from.
   */
  const followUpHits = async (
    analysed: AnalysedQuery,
    terms: TextQuery["terms"],
    mainHits: readonly PassageHit[],
    limit: number,
    options: SearchOptions,
    version: number,
  ): Promise<PassageHit[]> => {
    const hits = [...mainHits];
    // A data set's row passages can outnumber the rest of the library, crowd its candidates out and make a word
    // look common ("inspection" is in every row of Ofsted's provider list). When they fill most of the candidates,
    // the other documents are searched again on their own, with every term.
    const fromDataSets = hits.filter((hit) => isDataSetFormat(hit.format)).length;
    const prose = !options.documentIds && hits.length >= limit * 0.9 && fromDataSets > hits.length / 2 ? await proseDocumentIds(version) : [];
    if (prose.length > 0) {
      const known = new Set(hits.map((hit) => hit.chunkId));
      for (const hit of await store.passages.searchText({ terms, limit, documentIds: prose })) {
        if (!known.has(hit.chunkId)) hits.push(hit);
      }
    }
    // The other way round: a data set's row passages are long (a title, notes and every column on each row), so short
    // prose passages fill the candidates word by word and no row of the data set the question is about ("net gain of
    // children placed in children's homes") is reranked at all. The data sets are searched on their own for a few.
    if (!options.documentIds && weights.dataSetCandidates > 0 && prose.length === 0) {
      const known = new Set(hits.map((hit) => hit.chunkId));
      for (const hit of await dataSetSearch(analysed, terms, version)) {
        if (!known.has(hit.chunkId)) hits.push(hit);
      }
    }
    // A provision asked for by number ("regulation 12") can drown among passages that cite it in passing: its
    // passages are fetched by the reference alone too (its own text carries it in its section label).
    for (const concept of analysed.concepts.filter((candidate) => candidate.reference)) {
      const referenced = await store.passages.searchText({
        terms: concept.forms.map((form) => ({ phrase: form.words, weight: 1 })),
        limit: 40,
        ...(options.documentIds ? { documentIds: options.documentIds } : {}),
      });
      const known = new Set(hits.map((hit) => hit.chunkId));
      const scale = (hits[0]?.score ?? 1) / Math.max(referenced[0]?.score ?? 1, 1e-9);
      for (const hit of referenced) if (!known.has(hit.chunkId)) hits.push({ ...hit, score: hit.score * scale * 0.8 });
    }
    return hits.slice(mainHits.length);
  };

  /**
   * Guidance that leads the results often cites the provision that answers ("Regulation 28 of the Children's Homes
   * Regulations requires ..."): the cited provision's own text (the passages whose section is it) is fetched and
   * ranked just below the passage citing it, so the statute's words stand beside the guidance's account of them.
   * (A question that names its provision itself, "What does regulation 45 require?", has had it fetched already.)
   * `scored` (ranked) gains the provisions' passages, scored by `rescore`, and is ranked again. Its own function: as
   * part of the search it made that function's bytecode larger, and V8 compiled the search again after each deopt
   * (docs/benchmarks.md, issue 14 nineteenth stop).
   */
  const addCitedProvisions = async (scored: SearchResult[], options: SearchOptions, rescore: (hit: PassageHit) => SearchResult, bestBm25: number): Promise<void> => {
    const citing = scored.slice(0, weights.citedProvision.results);
    const cited = new Map<string, { label: string; score: number }>();
    for (const result of citing) {
      for (const label of citedProvisionLabels(result.text)) {
        const key = cachedStems(label).join(" ");
        // A passage citing its own section is not pointing elsewhere.
        if (key === sectionStemsOf(result) || cited.has(key)) continue;
        cited.set(key, { label, score: result.score });
      }
    }
    if (cited.size === 0) return;
    const known = new Set(scored.map((result) => result.chunkId));
    // One phrase search for every provision cited (not one each): a bounded cost per question at any library size.
    const fetched = await store.passages.searchText({
      terms: [...cited.values()].map(({ label }) => ({ phrase: words(label), weight: 1 })),
      limit: weights.citedProvision.candidatesPerProvision * cited.size,
      ...(options.documentIds ? { documentIds: options.documentIds } : {}),
    });
    for (const hit of fetched) {
      if (known.has(hit.chunkId) || !cited.has(sectionStemsOf(hit))) continue;
      known.add(hit.chunkId);
      const capped = { ...hit, score: Math.min(hit.score, bestBm25) };
      scored.push(rescore(capped));
    }
    for (const result of scored) {
      const citation = cited.get(sectionStemsOf(result));
      // Only where it speaks to the question itself: a regulation cited for one clause may say nothing asked.
      if (citation && result.signals.coverage >= weights.citedProvision.minimumCoverage) {
        result.score = Math.max(result.score, citation.score * weights.citedProvision.share);
      }
    }
    scored.sort((left, right) => right.score - left.score);
  };

  const search = async (query: string, options: SearchOptions): Promise<SearchResult[]> => {
    const analysed = analyse(query);
    if (analysed.concepts.length === 0) return [];
    // The library version once for the whole search (its document list, titles and data sets are kept per version),
    // read beside the question's word counts.
    const [{ weights: conceptWeight, frequencies, total }, version] = await Promise.all([
      conceptWeights(analysed.concepts),
      options.libraryVersion ?? store.version(),
    ]);
    const candidateTerms = candidateTermsOf(analysed);
    // Two neighbouring words of the question as a phrase ("net gain", "average caseload"): a passage that says them
    // together is a candidate even where a long passage (a data set's notes) ranks low on each word alone. Added to
    // whichever terms are searched below, never standing for them.
    const phrases = (weights.adjacentPhrase > 0 ? adjacentPhrases(analysed.concepts) : []).map((phrase) => ({ phrase, weight: weights.adjacentPhrase }));
    // A word in a large share of passages ("children" in this field) finds nothing by itself and makes the
    // full-text query slow; it still counts in reranking. Kept when nothing rarer is asked for.
    const common = (term: { phrase: string[] }): boolean =>
      term.phrase.length === 1 && (frequencies.get(term.phrase[0] ?? "") ?? 0) > total * 0.2;
    // Rarer terms the library holds none of (the glossary's "kid" and "pupil" for "children" in a small library where
    // every word the question wrote is common) stand for nothing: then every term is searched, since a phrase found
    // beside them ("look like") would otherwise be the only candidate.
    const held = (term: { phrase: string[] }): boolean => term.phrase.length > 1 || (frequencies.get(term.phrase[0] ?? "") ?? 0) > 0;
    const rarer = candidateTerms.filter((term) => !common(term));
    const textQuery: TextQuery = {
      terms: [...(rarer.some(held) ? rarer : candidateTerms), ...phrases],
      limit: options.candidates ?? weights.candidates,
      ...(options.documentIds ? { documentIds: options.documentIds } : {}),
    };
    let hits = await store.passages.searchText(textQuery);
    // The rarer terms may be only a concept's other forms ("kid", "pupil" for "children") that the library never
    // uses, where every word the question wrote is common (a small library): then every term is searched.
    if (hits.length === 0 && rarer.length > 0 && rarer.length < candidateTerms.length) {
      hits = await store.passages.searchText({ ...textQuery, terms: [...candidateTerms, ...phrases] });
    }
    // The follow-up searches (the prose fallback or the data sets' own, then the provisions asked for by number) do not
    // need the main hits' scores, only their ids: they are started now and their round trips run while the main hits
    // are reranked below (the rerank is CPU, the follow-ups mostly the store's own time). Started after the main
    // search, not beside it: the store can serve the data sets' search with the same terms from the rows the main
    // search kept (sharedTopRows, src/store/text-search.json), which a search started beside it cannot; started beside
    // it, searches at 1M passages were slower, not faster (docs/benchmarks.md, issue 14, eighth stop).
    const libraryTitles = await documentStems(version);
    const mainHits = hits;
    const followUps = followUpHits(analysed, [...candidateTerms, ...phrases], mainHits, textQuery.limit, options, version);
    options.onMainSearched?.();
    // Whether they are done, so that the rerank stops looking for their replies (a failure is thrown where they are
    // awaited below, not meanwhile as an unhandled rejection).
    let followUpsDone = false;
    followUps.then(
      () => (followUpsDone = true),
      () => (followUpsDone = true),
    );
    const totalWeight = conceptWeight.reduce((sum, weight) => sum + weight, 0) || 1;
    const shape = options.shape ?? classifyQuestion(query);
    const titles = libraryTitles.titles;
    // Each form's count once per library state (at 1M a common stem's titles run to thousands).
    const titlesHolding = (form: ConceptForm): number =>
      countTitles(libraryTitles, `form${JSON.stringify([form.stems, form.notWithin ?? null])}`, form.stems, (title) =>
        placeHoldsForm(title, form, weights.titleGapWords),
      );
    const subjectConcepts = analysed.concepts.filter(
      (concept) =>
        concept.kind !== "figure" &&
        writtenAsName(concept, query) &&
        concept.forms.some(
          (form) =>
            form.original &&
            form.stems.some((token) => token.length > 3) &&
            titlesHolding(form) > 0 &&
            // A word in most titles ("children", "strategy") names no one document.
            titlesHolding(form) <= Math.max(1, titles.length / 3),
        ),
    );

    // Per search, worked out once rather than per candidate: each form's stems as one string (compared with a
    // passage's section), and whether a document's file name and title hold a form (the same for every passage of
    // that document; 200 candidates come from a few documents).
    const formText = new Map<ConceptForm, string>();
    const textOf = (form: ConceptForm): string => {
      let text = formText.get(form);
      if (text === undefined) formText.set(form, (text = form.stems.join(" ")));
      return text;
    };
    // By the file-name stems themselves (the cached array each passage of a document shares; the verdict depends on
    // nothing else), not by a key string built and hashed per passage and form.
    const titleVerdicts = new WeakMap<readonly string[], Map<ConceptForm, boolean>>();
    const titleHolds = (fileStems: readonly string[], form: ConceptForm): boolean => {
      let verdicts = titleVerdicts.get(fileStems);
      if (!verdicts) titleVerdicts.set(fileStems, (verdicts = new Map()));
      let holds = verdicts.get(form);
      if (holds === undefined) verdicts.set(form, (holds = placeHoldsForm(fileStems, form, weights.titleGapWords)));
      return holds;
    };
    // Where the question's stems stand in each passage: only words that could be one of them are stemmed.
    const positionsIn = stemPositionFinder(analysed.concepts.flatMap((concept) => concept.forms.flatMap((form) => [...form.stems, ...(form.notWithin ?? []).flat()])));
    const rerankFeatures = (hit: PassageHit): RerankFeatures => {
      const textStems = positionsIn(hit.text);
      const holdsAt = holdsIn(textStems);
      // Where each form stands in the text, found once per passage (the coverage and the off-subject test both ask).
      const formPositions = new Map<ConceptForm, readonly number[]>();
      const inText = (form: ConceptForm): readonly number[] => {
        let at = formPositions.get(form);
        if (at === undefined) formPositions.set(form, (at = positionsOutsideTermsWhere(holdsAt, form, textStems.find(form.stems))));
        return at;
      };
      // The labels are read only when the text itself does not hold a form (most candidates hold most forms), each
      // only when asked for.
      let fileStems: readonly string[] | undefined;
      let headingStems: readonly string[] | undefined;
      const fileStemsOfHit = (): readonly string[] => (fileStems ??= fileStemsOf(hit));
      const headingStemsOfHit = (): readonly string[] => (headingStems ??= headingStemsOf(hit));
      let sectionText: string | undefined;
      const sectionOf = (): string => (sectionText ??= sectionStemsOf(hit));
      const positions: (readonly number[] | undefined)[] = [];
      let covered = 0;
      analysed.concepts.forEach((concept, index) => {
        let credit = 0;
        let found: readonly number[] | undefined;
        for (const form of concept.forms) {
          const at = inText(form);
          if (at.length > 0) {
            const formCredit = form.original ? 1 : weights.credit.variant;
            if (formCredit > credit) credit = formCredit;
            found = [...(found ?? []), ...at];
          } else if (titleHolds(fileStemsOfHit(), form)) {
            credit = Math.max(credit, weights.credit.title);
          } else if (form.original && sectionOf() === textOf(form)) {
            // The passage's own section is the thing asked about ("Regulation 45").
            credit = Math.max(credit, 1);
          } else if (positionsOutsideTerms(headingStemsOfHit(), form, findSequence(headingStemsOfHit(), form.stems)).length > 0) {
            credit = Math.max(credit, weights.credit.heading);
          } else if (concept.kind === "term" && form.original && form.stems.length > 1 && headingStemsOfHit().includes(form.stems.at(-1) ?? "")) {
            // A provision's heading names its subject short ("Fitness of manager" for the registered manager).
            credit = Math.max(credit, weights.credit.heading * weights.credit.headNoun);
          }
        }
        positions.push(found);
        covered += credit * (conceptWeight[index] ?? 0);
      });
      const coverage = covered / totalWeight;

      // Neighbouring concepts of the question found close together in the passage.
      let proximity = 0;
      let pairs = 0;
      for (let index = 0; index + 1 < analysed.concepts.length; index++) {
        const left = positions[index];
        const right = positions[index + 1];
        pairs++;
        if (!left || !right) continue;
        let distance = Infinity;
        for (const a of left) for (const b of right) distance = Math.min(distance, Math.abs(a - b));
        proximity += distance <= 2 ? 1 : distance <= 6 ? 0.6 : distance <= 15 ? 0.3 : 0;
      }
      proximity = pairs > 0 ? proximity / pairs : 0;

      const figures = analysed.figures.filter((figure) => hit.text.includes(figure)).length;
      // Named subjects the passage's document is not about and its text does not mention.
      const offSubject = subjectConcepts.filter(
        (concept) =>
          !concept.forms.some((form) => titleHolds(fileStemsOfHit(), form) || inText(form).length > 0),
      ).length;
      const shaped = hasSearchedShape(shape, hit.text) ? 1 : 0;
      const defining = definesTerm(shape, hit.text) ? 1 : 0;
      // The provision asked for by number is this passage's own section, not one it cites.
      const ownProvision = analysed.concepts.some(
        (concept) => concept.reference && concept.forms.some((form) => sectionOf() === textOf(form)),
      )
        ? 1
        : 0;
      return { coverage, proximity, figures, offSubject, shaped, defining, ownProvision };
    };
    /** A hit's score from its features and its BM25 against the best of every hit (known once the follow-ups are in). */
    const scoreWith = (hit: PassageHit, features: RerankFeatures, bestBm25: number): SearchResult => {
      const { coverage, proximity, figures, offSubject, shaped, defining, ownProvision } = features;
      const bm25 = hit.score / bestBm25;
      const score =
        weights.bm25 * bm25 +
        weights.coverage * coverage * coverage +
        weights.proximity * proximity +
        weights.figure * figures +
        weights.answerShape * shaped +
        weights.definition * defining +
        weights.ownProvision * ownProvision -
        weights.offSubject * offSubject;
      return { ...hit, score, signals: { bm25, coverage, proximity, figures } };
    };
    // The main hits' features, a slice at a time while the follow-ups are in flight: between slices their replies are
    // read and their next statements sent, so the store works on them while this process reranks.
    const mainFeatures: RerankFeatures[] = [];
    for (const hit of mainHits) {
      if (mainFeatures.length % rerankSlice === rerankSlice - 1 && !followUpsDone) await new Promise((resolve) => setImmediate(resolve));
      mainFeatures.push(rerankFeatures(hit));
    }
    hits = [...mainHits, ...(await followUps)];
    if (hits.length === 0) return [];
    const bestBm25 = Math.max(...hits.map((hit) => hit.score), 1e-9);
    const scored = hits.map((hit, index) => scoreWith(hit, mainFeatures[index] ?? rerankFeatures(hit), bestBm25));
    scored.sort((left, right) => right.score - left.score);

    if (!analysed.concepts.some((concept) => concept.reference)) {
      await addCitedProvisions(scored, options, (hit) => scoreWith(hit, rerankFeatures(hit), bestBm25), bestBm25);
    }
    return selectResults(scored, options);
  };

  return { analyse, search };
}

/**
 * Whether the question writes a one-word concept as a name would be written: capitalised after its first word
 * ("Blackpool", "ILACS", not "areas" or "needs"). A question written all in lower case gives no such sign, so every
 * word may be a name there; glossary terms are the field's own names and always may.
 */
export function writtenAsName(concept: Concept, question: string): boolean {
  if (concept.kind !== "word") return true;
  const tokens = question.match(/[\p{L}\p{N}'’]+/gu) ?? [];
  if (!tokens.slice(1).some((token) => /^\p{Lu}/u.test(token))) return true;
  return tokens.some((token, index) => index > 0 && /^\p{Lu}/u.test(token) && token.toLowerCase().replace(/['’]s?$/u, "") === concept.label);
}

// "Regulation 28", "regulations 44 and 45" (the first number): a provision word of search-weights.json and a number.
const provisionCitation = new RegExp(`\\b(${weights.citedProvision.provisionWords.join("|")})s?\\s+(\\d{1,3})\\b`, "giu");

/** Provisions a passage cites by number, as a section label is written ("Regulation 28"); at most a few per passage. */
export function citedProvisionLabels(text: string): string[] {
  const labels = new Set<string>();
  for (const match of text.matchAll(provisionCitation)) {
    const word = match[1]?.toLowerCase() ?? "";
    labels.add(`${word.charAt(0).toUpperCase()}${word.slice(1)} ${match[2] ?? ""}`);
    if (labels.size >= weights.citedProvision.labelsPerPassage) break;
  }
  return [...labels];
}

/**
 * The terms a question's passages are searched by: every form of every concept (a variant weighs a little less), and
 * the words of a multi-word term on their own too, so a passage that says "director" and "children's services" apart
 * is still a candidate (reranking prefers the whole phrase).
 */
function candidateTermsOf(analysed: AnalysedQuery): { phrase: string[]; weight: number }[] {
  return [
    ...analysed.concepts.flatMap((concept) => concept.forms.map((form) => ({ phrase: form.words, weight: form.original ? 1 : 0.8 }))),
    ...analysed.concepts
      .filter((concept) => concept.kind === "term")
      .flatMap((concept) => concept.forms.filter((form) => form.original && form.words.length > 1))
      .flatMap((form) => form.words.filter((word) => !stopWords.has(word) && word.length > 1))
      .map((word) => ({ phrase: [word], weight: 0.5 })),
  ];
}

/** Neighbouring single-word concepts of the question ("net", "gain"), each pair as the phrase the question wrote. */
function adjacentPhrases(concepts: Concept[]): string[][] {
  const phrases: string[][] = [];
  for (let index = 0; index + 1 < concepts.length; index++) {
    const left = concepts[index]!;
    const right = concepts[index + 1]!;
    if (left.kind !== "word" || right.kind !== "word" || right.position !== left.position + 1) continue;
    const leftWord = left.forms[0]?.words[0];
    const rightWord = right.forms[0]?.words[0];
    if (leftWord && rightWord) phrases.push([leftWord, rightWord]);
  }
  return phrases;
}

/** A result's page as "one page" is meant when passages are kept per page: its document and page, or its section. */
export function pageKey(result: { documentId: number; page: number | null; section: string | null }): string {
  return `${result.documentId}:${result.page ?? `s:${result.section ?? ""}`}`;
}

/** Keeps at most `perPage` passages of each page, with a small bonus for pages holding several good passages. */
function selectResults(scored: SearchResult[], options: SearchOptions): SearchResult[] {
  const perPage = options.perPage === undefined ? 1 : options.perPage;
  const byPage = new Map<string, SearchResult[]>();
  for (const result of scored) {
    const key = pageKey(result);
    const list = byPage.get(key) ?? [];
    list.push(result);
    byPage.set(key, list);
  }
  const boosted: SearchResult[] = [];
  for (const list of byPage.values()) {
    const second = list[1]?.score ?? 0;
    const kept = perPage === null ? list : list.slice(0, perPage);
    for (const result of kept) boosted.push({ ...result, score: result.score + weights.secondOnPage * second });
  }
  boosted.sort((left, right) => right.score - left.score);
  return collapseCopies(boosted, options.limit);
}

// Passages come back for question after question: their word sets are kept (by text) rather than made again.
const wordSets = createTextCache<ReadonlySet<string>>(2_000_000);

function wordSet(text: string): ReadonlySet<string> {
  return wordSets.get(text, (value) => new Set(value.toLowerCase().match(/[\p{L}\p{N}£%]+/gu) ?? []));
}

/** Verdicts of sameText for pairs of (cached, shared) word sets: the same passages meet again question after question. */
const sameTextVerdicts = new WeakMap<ReadonlySet<string>, WeakMap<ReadonlySet<string>, boolean>>();

/** Whether two passages say the same thing: most of the shorter one's words are in the longer, which is not much longer. */
function sameText(left: ReadonlySet<string>, right: ReadonlySet<string>): boolean {
  const [small, large] = left.size <= right.size ? [left, right] : [right, left];
  if (small.size < 8 || small.size / large.size < 0.4) return false;
  let verdicts = sameTextVerdicts.get(small);
  if (!verdicts) sameTextVerdicts.set(small, (verdicts = new WeakMap()));
  let verdict = verdicts.get(large);
  if (verdict === undefined) verdicts.set(large, (verdict = sharesMostWords(small, large)));
  return verdict;
}

/** How many of a set's words may be missing from the other for the two to share "most words" (85%). */
function allowedMisses(size: number): number {
  let needed = Math.ceil(size * 0.85);
  // The same verdict as `shared / size >= 0.85` in floating point, at the edges.
  while (needed > 0 && (needed - 1) / size >= 0.85) needed--;
  while (needed / size < 0.85) needed++;
  return size - needed;
}

/** Whether 85% of the smaller set's words are in the larger: stops at the first word too many missing. */
export function sharesMostWords(small: ReadonlySet<string>, large: ReadonlySet<string>): boolean {
  let misses = allowedMisses(small.size);
  for (const word of small) {
    if (large.has(word)) continue;
    if (--misses < 0) return false;
  }
  return true;
}

/**
 * The same text in two files (a strategy as PDF and as the Word file it came from, a scan and its original) is one
 * result, not two: the copy with a page number stands for both, keeping the better score, so a citation opens a page.
 */
function collapseCopies(ranked: SearchResult[], limit: number): SearchResult[] {
  const kept: { result: SearchResult; words: ReadonlySet<string> }[] = [];
  for (const result of ranked) {
    if (kept.length >= limit) break;
    const words = wordSet(result.text);
    const copy = kept.findIndex((entry) => entry.result.documentId !== result.documentId && sameText(entry.words, words));
    if (copy < 0) {
      kept.push({ result, words });
      continue;
    }
    const existing = kept[copy]!;
    if (existing.result.page === null && result.page !== null) kept[copy] = { result: { ...result, score: existing.result.score }, words };
  }
  return kept.map((entry) => entry.result);
}
