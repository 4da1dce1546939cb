/**
 * Query analysis: turns a question into weighted concepts. A concept is one idea in the question (a word, a
 * glossary term with its acronyms and variants, a figure, a range) with every form it may take in a passage.
 */
import type { Glossary } from "./glossary.ts";
import { derivedRoot } from "./derived-root.ts";
import { answerShapeWords, answerShapeWordWeight, lightWords, spelledNumber, wordWeightFactor } from "./question-shape.ts";
import { stem, stopWords, words } from "./tokenize.ts";

export interface ConceptForm {
  words: string[];
  stems: string[];
  /** The form the question used (full credit) or a variant (a little less). */
  original: boolean;
  /**
   * Glossary terms (as stems) that hold this one-word form's stem as a participle, which the question does not ask
   * about: "look" is not found in "looked after children". A stem inside one of these in a passage or title is the
   * term's word, not the question's.
   */
  notWithin?: string[][];
}

export interface Concept {
  label: string;
  kind: "word" | "term" | "figure";
  forms: ConceptForm[];
  /** Position of the concept in the question, for proximity between neighbours. */
  position: number;
  /**
   * Share of its rarity-based weight the concept keeps: words that say what kind of answer is wanted
   * ("proportion", "number") matter less than what the question is about.
   */
  weightFactor: number;
  /** A reference to one provision ("regulation 12"): its passages are fetched by it alone as well. */
  reference?: boolean;
}

export interface AnalysedQuery {
  text: string;
  concepts: Concept[];
  /** Figures exactly as a document would write them ("2,278", "55.2"), for exact-match boosts. */
  figures: string[];
}

const figurePattern = /£?\d[\d,]*(?:\.\d+)?%?/g;
const rangePattern = /\b(\d{1,3})\s*(?:-|–|—|to)\s*(\d{1,3})\b/g;
const referencePattern = /\b(regulations?|regs?|schedule|standard|section|paragraph)\.?\s+(\d{1,3}[a-z]?)\b/gi;

function indexOfSequence(haystack: string[], needle: string[], from = 0): number {
  outer: for (let start = from; start + needle.length <= haystack.length; start++) {
    for (let offset = 0; offset < needle.length; offset++) {
      if (haystack[start + offset] !== needle[offset]) continue outer;
    }
    return start;
  }
  return -1;
}

type GlossaryVariant = Glossary["groups"][number][number];

/** Every glossary variant with its group, longest first: the same for every query, so sorted once per glossary. */
const sortedVariants = new WeakMap<Glossary, { variant: GlossaryVariant; groupIndex: number }[]>();

function glossaryCandidates(glossary: Glossary): { variant: GlossaryVariant; groupIndex: number }[] {
  let candidates = sortedVariants.get(glossary);
  if (!candidates) {
    candidates = glossary.groups
      .flatMap((group, groupIndex) => group.map((variant) => ({ variant, groupIndex })))
      .sort((left, right) => right.variant.stems.length - left.variant.stems.length);
    sortedVariants.set(glossary, candidates);
  }
  return candidates;
}

/**
 * What the steps of `analyseQuery` share: the question's words and stems, which of them a concept has taken, and the
 * concepts found so far. Each step is its own function: as one function the analysis was 5 KB of bytecode that V8's
 * optimizing compiler took 150 ms a time to compile, on a background thread, again after each new object shape a
 * question brought (docs/benchmarks.md, issue 14 nineteenth stop).
 */
interface Analysis {
  readonly text: string;
  readonly glossary: Glossary;
  readonly queryWords: string[];
  readonly queryStems: string[];
  /** Which of the question's words a concept has taken already. */
  readonly covered: boolean[];
  readonly concepts: Concept[];
}

/** Figures, the most specific things a question can hold: their concepts, and the figures as a document writes them. */
function figureConcepts(analysis: Analysis): string[] {
  const { text, queryWords, covered, concepts } = analysis;
  const figures: string[] = [];
  for (const match of text.matchAll(figurePattern)) {
    const written = match[0].replace(/^£/, "").replace(/%$/, "").replace(/,$/, "");
    const figureWords = words(written);
    if (figureWords.length === 0) continue;
    const bare = !match[0].includes("%") && !match[0].includes("£");
    if (figureWords.length === 1 && bare && (written.length <= 2 || /^(19|20)\d{2}$/.test(written))) {
      // Small bare numbers ("5", "44") and years ("2011") stay ordinary words: they scope a question more often
      // than they are the figure it asks about.
      continue;
    }
    figures.push(written);
    const at = indexOfSequence(queryWords, figureWords);
    if (at >= 0) for (let offset = 0; offset < figureWords.length; offset++) covered[at + offset] = true;
    // "10,000" is also written "10000" (column names, spreadsheets).
    const joined = written.includes(",") ? words(written.replace(/,/g, "")) : [];
    concepts.push({
      label: match[0],
      kind: "figure",
      forms: [
        { words: figureWords, stems: figureWords, original: true },
        ...(joined.length > 0 ? [{ words: joined, stems: joined, original: true }] : []),
      ],
      position: at >= 0 ? at : concepts.length,
      weightFactor: 1,
    });
  }
  return figures;
}

/** Ranges ("16-18", "5 to 11"), as specific as figures. */
function rangeConcepts(analysis: Analysis): void {
  const { text, queryWords, covered, concepts } = analysis;
  for (const match of text.matchAll(rangePattern)) {
    const [, low, high] = match;
    if (!low || !high) continue;
    const at = indexOfSequence(queryWords, [low]);
    if (at >= 0) {
      covered[at] = true;
      const highAt = queryWords.indexOf(high, at);
      for (let index = at; index <= highAt && highAt >= 0; index++) covered[index] = true;
    }
    concepts.push({
      label: `${low}-${high}`,
      kind: "term",
      forms: [
        { words: [low, high], stems: [low, high], original: true },
        { words: [low, "to", high], stems: [low, "to", high], original: true },
      ],
      position: at >= 0 ? at : concepts.length,
      weightFactor: 1,
    });
  }
}

/**
 * "Regulation 12", "reg 44", "Schedule 1": a reference to one provision, as a whole ("Regulation 12" is also the
 * section a regulation's own text sits in).
 */
function referenceConcepts(analysis: Analysis): void {
  const { text, queryWords, covered, concepts } = analysis;
  for (const match of text.matchAll(referencePattern)) {
    const kind = (match[1] ?? "").toLowerCase().startsWith("reg") ? "regulation" : (match[1] ?? "").toLowerCase();
    const number = (match[2] ?? "").toLowerCase();
    const at = indexOfSequence(queryWords, [...words(match[1] ?? ""), number]);
    if (at < 0) continue;
    covered[at] = true;
    covered[at + 1] = true;
    const forms = kind === "regulation" ? ["regulation", "regulations", "reg"] : [kind];
    concepts.push({
      label: `${kind} ${number}`,
      kind: "term",
      forms: forms.map((form, index) => ({ words: [form, number], stems: [stem(form), number], original: index === 0 })),
      position: at,
      weightFactor: 1,
      reference: true,
    });
  }
}

/**
 * An acronym the question spells out itself ("a child missing education (CME)"): the words and their acronym are one
 * concept, so a passage that uses either (a definition on page 1 gives the words, later pages only the acronym) holds
 * it, instead of two concepts that no one passage needs to hold both of.
 */
function spelledOutConcepts(analysis: Analysis): void {
  const { text, glossary, queryWords, covered, concepts } = analysis;
  for (const spelled of spelledOutAcronyms(text, queryWords)) {
    if (covered.slice(spelled.start, spelled.end + 1).some(Boolean)) continue;
    for (let index = spelled.start; index <= spelled.end; index++) covered[index] = true;
    const expansion = queryWords.slice(spelled.start, spelled.acronymAt);
    const acronymWord = queryWords[spelled.acronymAt] ?? "";
    const phrases = [expansion, ...inflectedPhrases(expansion, glossary), [acronymWord]];
    // The glossary's own variants of either, when it knows the term.
    const known = glossary.groups.find((group) =>
      group.some((variant) => variant.stems.join(" ") === stem(acronymWord) || variant.stems.join(" ") === expansion.map(stem).join(" ")),
    );
    const forms: ConceptForm[] = phrases.map((phrase) => ({ words: phrase, stems: phrase.map(stem), original: true }));
    for (const variant of known ?? []) {
      if (!forms.some((form) => form.stems.join(" ") === variant.stems.join(" "))) forms.push({ words: variant.words, stems: variant.stems, original: false });
    }
    concepts.push({ label: `${expansion.join(" ")} (${acronymWord})`, kind: "term", forms, position: spelled.start, weightFactor: 1 });
  }
}

/**
 * Glossary terms, longest variant first, so "children in care" wins over "children". A variant whose first stem the
 * question lacks cannot be in it: most of the glossary is passed over without a scan of the question.
 */
function glossaryConcepts(analysis: Analysis): void {
  const { glossary, queryStems, covered, concepts } = analysis;
  const questionStems = new Set(queryStems);
  for (const { variant, groupIndex } of glossaryCandidates(glossary)) {
    const first = variant.stems[0];
    if (first !== undefined && !questionStems.has(first)) continue;
    let at = indexOfSequence(queryStems, variant.stems);
    while (at >= 0 && covered.slice(at, at + variant.stems.length).some(Boolean)) {
      at = indexOfSequence(queryStems, variant.stems, at + 1);
    }
    if (at < 0) continue;
    // A single-word variant that is a plain English word ("provider", "staff") is only a term when it is an acronym
    // or the whole group is short; otherwise the word concept below serves it.
    for (let offset = 0; offset < variant.stems.length; offset++) covered[at + offset] = true;
    const group = glossary.groups[groupIndex] ?? [];
    concepts.push({
      label: variant.words.join(" "),
      kind: "term",
      forms: group.map((form) => ({
        words: form.words,
        stems: form.stems,
        // The form the question wrote, or that word's irregular other form ("child" for "children").
        original:
          form.stems.join(" ") === variant.stems.join(" ") ||
          (form.words.length === 1 && variant.words.length === 1 && glossary.inflections.get(variant.words[0] ?? "") === form.words[0]),
      })),
      position: at,
      // "How often" asks for the shape of an answer (a frequency) as much as it names a subject.
      weightFactor: variant.words.every((word) => answerShapeWords.has(word) || lightWords.has(word) || stopWords.has(word)) ? answerShapeWordWeight : 1,
    });
  }
}

/** Every other word of the question that means something, with its other forms. */
function wordConcepts(analysis: Analysis): void {
  const { glossary, queryWords, covered, concepts } = analysis;
  queryWords.forEach((word, index) => {
    if (covered[index] || stopWords.has(word)) return;
    if (word.length === 1 && !/\d/.test(word)) return;
    // A word the question repeats ("the school ... the school") is one idea, weighed once.
    if (concepts.some((concept) => concept.kind === "word" && concept.label === word)) return;
    const forms: ConceptForm[] = [{ words: [word], stems: [stem(word)], original: true }];
    const inflection = glossary.inflections.get(word);
    if (inflection) forms.push({ words: [inflection], stems: [stem(inflection)], original: true });
    const spelling = glossary.spellings.get(word);
    if (spelling) forms.push({ words: [spelling], stems: [stem(spelling)], original: false });
    // "placement" is also "children placed": the verb a noun is made from, where the stemmer does not reach it.
    const root = derivedRoot(word);
    if (root !== null && !forms.some((form) => form.stems[0] === stem(root))) forms.push({ words: [root], stems: [stem(root)], original: false });
    // "Under 5" is "before a child's fifth birthday" in a passage.
    for (const spelled of spelledNumber(word, queryWords[index - 1])) forms.push({ words: [spelled], stems: [stem(spelled)], original: false });
    concepts.push({ label: word, kind: "word", forms, position: index, weightFactor: wordWeightFactor(word) });
  });
}

/** The glossary's variants of more than one word, by each stem they hold (in the glossary's order, each once). */
const multiWordVariants = new WeakMap<Glossary, ReadonlyMap<string, readonly GlossaryVariant[]>>();

function multiWordVariantsByStem(glossary: Glossary): ReadonlyMap<string, readonly GlossaryVariant[]> {
  let byStem = multiWordVariants.get(glossary);
  if (byStem === undefined) {
    const built = new Map<string, GlossaryVariant[]>();
    for (const variant of glossary.groups.flat()) {
      if (variant.stems.length < 2) continue;
      for (const stem of new Set(variant.stems)) {
        const list = built.get(stem);
        if (list === undefined) built.set(stem, [variant]);
        else list.push(variant);
      }
    }
    multiWordVariants.set(glossary, (byStem = built));
  }
  return byStem;
}

/**
 * A question's word that stems like a participle inside a glossary term the question does not hold ("look" and
 * "looked after children") is not that term's word: a participle set in a term is the term's own (an adjective
 * there), not the verb asked about. Other forms alike ("homes", "inspection") are the same word and still count.
 */
function markParticipleTerms(analysis: Analysis): void {
  const { glossary, concepts } = analysis;
  const heldTerms = new Set(concepts.filter((concept) => concept.kind === "term").flatMap((concept) => concept.forms.map((form) => form.stems.join(" "))));
  const termsHolding = multiWordVariantsByStem(glossary);
  for (const concept of concepts) {
    if (concept.kind !== "word") continue;
    for (const form of concept.forms) {
      const [formStem] = form.stems;
      const [formWord] = form.words;
      if (form.stems.length !== 1 || formStem === undefined || formWord === undefined) continue;
      const terms = (termsHolding.get(formStem) ?? [])
        .filter(
          (variant) =>
            !heldTerms.has(variant.stems.join(" ")) &&
            variant.stems.some((termStem, index) => termStem === formStem && participleOf(variant.words[index] ?? "", formWord)),
        )
        .map((variant) => variant.stems);
      if (terms.length > 0) form.notWithin = terms;
    }
  }
}

export function analyseQuery(text: string, glossary: Glossary): AnalysedQuery {
  const queryWords = words(text);
  const analysis: Analysis = {
    text,
    glossary,
    queryWords,
    queryStems: queryWords.map(stem),
    covered: new Array<boolean>(queryWords.length).fill(false),
    concepts: [],
  };
  // Figures and ranges first, then references to provisions, acronyms spelled out, glossary terms, and the other words.
  const figures = figureConcepts(analysis);
  rangeConcepts(analysis);
  referenceConcepts(analysis);
  spelledOutConcepts(analysis);
  glossaryConcepts(analysis);
  wordConcepts(analysis);
  markParticipleTerms(analysis);
  const { concepts } = analysis;
  concepts.sort((left, right) => left.position - right.position);
  return { text, concepts, figures };
}

/** Whether a term's word is a participle ("looked", "cared") of a word the question writes otherwise ("look"). */
function participleOf(termWord: string, questionWord: string): boolean {
  return termWord !== questionWord && /(?:ed|en)$/u.test(termWord) && !/(?:ed|en)$/u.test(questionWord);
}

/**
 * Where a form stands in a text's stems, less the places where its one stem is part of a term it is kept out of
 * (`ConceptForm.notWithin`): `positions` are where the form's stems begin.
 */
export function positionsOutsideTerms(textStems: readonly string[], form: ConceptForm, positions: readonly number[]): readonly number[] {
  return positionsOutsideTermsWhere(
    (term, start) => start >= 0 && start + term.length <= textStems.length && term.every((each, index) => textStems[start + index] === each),
    form,
    positions,
  );
}

/**
 * The same, for a text known only through a finder of stem sequences (src/retrieval/stem-positions.ts, which stems
 * only the words that could be wanted): `holdsAt(term, start)` says whether the term's stems start at `start`.
 */
export function positionsOutsideTermsWhere(
  holdsAt: (term: readonly string[], start: number) => boolean,
  form: ConceptForm,
  positions: readonly number[],
): readonly number[] {
  const terms = form.notWithin;
  const [formStem] = form.stems;
  if (!terms || positions.length === 0 || formStem === undefined) return positions;
  return positions.filter((position) => !terms.some((term) => term.some((termStem, offset) => termStem === formStem && holdsAt(term, position - offset))));
}

/** The phrase with each word that has an irregular form written that way ("child missing education" -> "children missing education"). */
function inflectedPhrases(phrase: string[], glossary: Glossary): string[][] {
  const variants: string[][] = [];
  phrase.forEach((word, index) => {
    const other = glossary.inflections.get(word);
    if (other) variants.push(phrase.map((each, at) => (at === index ? other : each)));
  });
  return variants;
}

/**
 * Acronyms in brackets after the words they stand for ("child missing education (CME)", "Fostering for Adoption
 * (FfA)"): each of the acronym's letters begins one of the words before it, in order, small joining words allowed
 * between them. Positions are indexes into the question's words.
 */
export function spelledOutAcronyms(text: string, queryWords: string[]): { start: number; end: number; acronymAt: number }[] {
  const found: { start: number; end: number; acronymAt: number }[] = [];
  for (const match of text.matchAll(/\(\s*([A-Za-z]{2,8})\s*\)/g)) {
    const letters = (match[1] ?? "").toLowerCase().replace(/s$/, "");
    if (letters.length < 2 || (match[1] ?? "") === (match[1] ?? "").toLowerCase()) continue;
    // The acronym's own word: the first occurrence after the words before the bracket.
    const before = words(text.slice(0, match.index ?? 0)).length;
    const acronymAt = before;
    if (queryWords[acronymAt] !== (match[1] ?? "").toLowerCase()) continue;
    let letter = letters.length - 1;
    let index = acronymAt - 1;
    while (index >= 0 && letter >= 0 && acronymAt - index <= letters.length * 2) {
      const word = queryWords[index] ?? "";
      if (word.startsWith(letters[letter] ?? "")) letter--;
      else if (!stopWords.has(word)) break;
      if (letter >= 0) index--;
    }
    if (letter < 0 && index >= 0) found.push({ start: index, end: acronymAt, acronymAt });
  }
  return found;
}
