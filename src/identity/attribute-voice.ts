/**
 * Whose words a quoted sentence is. A council writes "We have developed specific provision for our Unaccompanied
 * Asylum Seeking Children"; quoted bare in an answer or in an email the provider sends, the sentence reads as the
 * provider's own claim. This step, run over a finished `Answer` like the out-of-date notes, attributes such a
 * sentence to its author ("Nottinghamshire's strategy says it has developed specific provision for its …", or a
 * quotation with the author's name when the sentence cannot be turned round safely). In a letter to a council
 * (`addressee`), that council's own documents are cited in the second person ("Your strategy notes that you have
 * …") and every other source by name. Only the wording shown changes: the citations and their verbatim quotes are
 * kept as they were checked, and only a sentence found verbatim in its cited quote is reworded.
 */
import { readFileSync } from "node:fs";
import * as z from "zod";
import type { Answer, Citation } from "../answer/types.ts";
import { libraryAuthorities } from "../authority/source-authority.ts";
import { resolveLocalAuthority } from "../market/local-authority-names.ts";
import { stopWords } from "../retrieval/tokenize.ts";
import type { DocumentRecord, Store } from "../store/types.ts";
import type { DocumentIdentity } from "./document-identity.ts";
import { classifyAuthor, documentNoun, libraryIdentities } from "./document-identity.ts";
import { libraryDocuments } from "../store/library-documents.ts";

const byFileNames = new WeakMap<readonly DocumentRecord[], ReadonlyMap<string, DocumentRecord>>();

/** The library's documents by file name (the first of each name), made once per list read, not once per answer. */
function documentsByFileName(list: readonly DocumentRecord[]): ReadonlyMap<string, DocumentRecord> {
  let documents = byFileNames.get(list);
  if (!documents) {
    const built = new Map<string, DocumentRecord>();
    for (const document of list) if (!built.has(document.fileName)) built.set(document.fileName, document);
    byFileNames.set(list, (documents = built));
  }
  return documents;
}

const wordsSchema = z.object({
  firstPerson: z.string(),
  singular: z.string(),
  thirdPerson: z.record(z.string(), z.string()),
  secondPerson: z.record(z.string(), z.string()),
  verbs: z.record(z.string(), z.string()),
  adverbs: z.array(z.string()),
  says: z.object({ third: z.string(), second: z.string(), thirdStatement: z.string() }),
  openers: z.array(z.string()),
});

let loaded: (z.infer<typeof wordsSchema> & { firstPersonPattern: RegExp; singularPattern: RegExp }) | undefined;

function voiceWords(): NonNullable<typeof loaded> {
  if (loaded) return loaded;
  const parsed = wordsSchema.parse(JSON.parse(readFileSync(new URL("./voice-words.json", import.meta.url), "utf8")));
  loaded = { ...parsed, firstPersonPattern: new RegExp(parsed.firstPerson, "u"), singularPattern: new RegExp(parsed.singular, "u") };
  return loaded;
}

export interface AttributionOptions {
  /** The council a letter or email is addressed to (an LA name): its own documents are cited as "your …". */
  addressee?: string | undefined;
}

interface Speaker {
  identity: DocumentIdentity;
  noun: string;
  fileName: string;
  /** The addressee's own document, cited in the second person. */
  addressee: boolean;
}

/** Whitespace collapsed and quote marks made plain, for the verbatim check. */
function normalise(text: string): string {
  return text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, " ").trim().toLowerCase();
}

function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}

/** Whether the sentence can be turned from "we" into "it": every "we" is followed by a verb whose form is known. */
function thirdPersonForm(text: string): string | null {
  const words = voiceWords();
  if (words.singularPattern.test(text)) return null;
  let failed = false;
  // "we have" -> "it has", "we also need" -> "it also needs"; the word after is left for the second pass.
  const subjects = text.replace(/\b([Ww]e)\s+([a-z]+)(?:(\s+)([a-z]+))?/g, (whole, we: string, first: string, space: string | undefined, second: string | undefined) => {
    const it = we === "We" ? "It" : "it";
    const after = second !== undefined ? `${space ?? " "}${second}` : "";
    const direct = words.verbs[first];
    if (direct !== undefined) return `${it} ${direct}${after}`;
    const later = second !== undefined ? words.verbs[second] : undefined;
    if (words.adverbs.includes(first) && later !== undefined) return `${it} ${first}${space ?? " "}${later}`;
    failed = true;
    return whole;
  });
  if (failed || /\b[Ww]e\b/.test(subjects)) return null;
  return subjects.replace(/\b([Oo]urselves|[Oo]urs|[Oo]ur|us)\b/g, (word: string) => {
    const mapped = words.thirdPerson[word.toLowerCase()] ?? word;
    return word[0] === word[0]?.toUpperCase() ? capitalise(mapped) : mapped;
  });
}

function secondPersonForm(text: string): string | null {
  const words = voiceWords();
  if (words.singularPattern.test(text)) return null;
  return text.replace(/\b([Ww]e|[Oo]urselves|[Oo]urs|[Oo]ur|us)\b/g, (word: string) => {
    const mapped = words.secondPerson[word.toLowerCase()] ?? word;
    return word[0] === word[0]?.toUpperCase() ? capitalise(mapped) : mapped;
  });
}

function capitalise(text: string): string {
  return text.length > 0 ? `${text[0]?.toUpperCase()}${text.slice(1)}` : text;
}

/**
 * "There is …" -> "there is …" and "Leaders know …" -> "leaders know …" after "notes that"; a council's or a body's
 * name, an acronym or a name of several capitalised words keeps its capital.
 */
function lowerFirst(text: string): string {
  const match = /^([A-Z][a-z']*)\b(\s+\S+)?/.exec(text);
  const first = match?.[1];
  if (!first) return text;
  const lower = first.toLowerCase();
  const common = stopWords.has(lower) || voiceWords().openers.includes(lower);
  const plainWord = /^[A-Z][a-z]+$/.test(first) && /^\s+[a-z]/.test(match?.[2] ?? "");
  if (!(common || plainWord) || resolveLocalAuthority(first) !== undefined || classifyAuthor(first) !== "other") return text;
  return `${lower}${text.slice(first.length)}`;
}

function speakerName(speaker: Speaker): string {
  const author = speaker.identity.author;
  if (speaker.addressee) return `Your ${speaker.noun}`;
  if (author) return `${possessive(author)} ${speaker.noun}`;
  return `The ${speaker.noun} “${speaker.identity.title ?? speaker.fileName}”`;
}

/** The sentence shown in its author's voice, or null when it is left as it is. */
function attribute(sentence: string, speaker: Speaker, letter: boolean, afterLabel: boolean): string | null {
  const words = voiceWords();
  const trailing = /[.;:!?]*$/.exec(sentence)?.[0] ?? "";
  // A bullet glyph the PDF kept ("• Working with …", "� Working …") is no part of what is said.
  const body = sentence
    .slice(0, sentence.length - trailing.length)
    .replace(/^[^\p{L}\p{N}"“‘'(£]+/u, "")
    .trim();
  if (body.length === 0) return null;
  const firstPerson = words.firstPersonPattern.test(body);
  const end = trailing.length > 0 ? trailing : ".";
  if (afterLabel) {
    // A labelled value ("Planned provision: We have two homes …", a table row's cell) keeps its label; the words
    // are quoted and their author named after them.
    if (!firstPerson) return null;
    const name = speakerName(speaker);
    return `“${body}${trailing}” (${speaker.addressee ? `${name[0]?.toLowerCase()}${name.slice(1)}` : name})`;
  }
  if (speaker.addressee) {
    const turned = firstPerson ? secondPersonForm(body) : body;
    if (turned === null) return `${speakerName(speaker)}: “${body}${trailing}”`;
    return `${speakerName(speaker)} ${words.says.second} ${lowerFirst(turned)}${end}`;
  }
  if (!firstPerson) {
    // In a letter every cited sentence is someone's, said by name ("Ofsted's inspection report notes that …").
    return letter ? `${speakerName(speaker)} ${words.says.thirdStatement} ${lowerFirst(body)}${end}` : null;
  }
  const turned = speaker.identity.author ? thirdPersonForm(body) : null;
  if (turned === null) return `${speakerName(speaker)}: “${body}${trailing}”`;
  // "We have …" becomes "says it has …"; any other opening reads as reported speech after "says that".
  const opening = /^(?:It|Its)\b/.test(turned) ? `${turned[0]?.toLowerCase()}${turned.slice(1)}` : `that ${lowerFirst(turned)}`;
  return `${speakerName(speaker)} ${words.says.third} ${opening}${end}`;
}

/** Splits a line into the text before each run of citation markers and the markers. */
const markerRun = /((?:\s*\[\d+\])+)/g;

/** The part of `segment` found verbatim in one of the quotes, from a word boundary to its end; null when none is. */
function verbatimTail(segment: string, quotes: string[]): { lead: string; sentence: string } | null {
  const normalQuotes = quotes.map(normalise);
  const starts = [0, ...[...segment.matchAll(/\s+/g)].map((match) => (match.index ?? 0) + match[0].length)];
  const coreFrom = (start: number): string => normalise(segment.slice(start).trim().replace(/[.;:!?]+$/, ""));
  const found = (core: string): boolean => normalQuotes.some((quote) => quote.includes(core));
  // A later start's core is the end of an earlier one's, so when the shortest tail of four words or more is in no
  // quote, no longer tail is either: that one check spares normalising every tail of a sentence the quotes lack.
  let shortest = starts.length - 1;
  while (shortest >= 0 && coreFrom(starts[shortest]!).split(" ").length < 4) shortest--;
  if (shortest < 0 || !found(coreFrom(starts[shortest]!))) return null;
  for (const start of starts) {
    const tail = segment.slice(start).trim();
    const core = normalise(tail.replace(/[.;:!?]+$/, ""));
    if (core.split(" ").length < 4) break;
    if (found(core)) return { lead: segment.slice(0, start), sentence: tail };
  }
  return null;
}

/**
 * The answer with first-person sentences of councils and other bodies attributed to them (and, for a letter to a
 * council, every cited sentence worded for that council). The provider's own documents keep their voice.
 */
export async function attributeVoice(answer: Answer, store: Store, options: AttributionOptions = {}): Promise<Answer> {
  if (answer.citations.length === 0) return answer;
  const addressee = options.addressee ? (resolveLocalAuthority(options.addressee) ?? options.addressee) : undefined;
  const documents = documentsByFileName(await libraryDocuments(store));
  // Identities and authorities of the whole library, read once per library version (no store call per citation).
  const [identities, authorities] = await Promise.all([libraryIdentities(store), libraryAuthorities(store)]);
  // Every cited file's speaker, read from the store up front: the sentence loop below makes no store calls.
  const speakers = new Map<string, Speaker | null>();
  const cited = [...new Set(answer.citations.map((citation) => citation.file))];
  await Promise.all(
    cited.map(async (file) => {
      const document = documents.get(file);
      let speaker: Speaker | null = null;
      if (document) {
        const identity = await identities.of(document);
        const ownWords = identity.authorKind === "provider";
        const isAddressee = addressee !== undefined && identity.about === addressee && (identity.authorKind === "council" || identity.authorKind === null);
        const kind = authorities.of(document).kind;
        speaker = ownWords ? null : { identity, noun: documentNoun(identity, document.fileName, kind), fileName: document.fileName, addressee: isAddressee };
      }
      speakers.set(file, speaker);
    }),
  );
  const speakerOf = (citation: Citation): Speaker | null => speakers.get(citation.file) ?? null;
  const byNumber = new Map(answer.citations.map((citation) => [citation.n, citation]));

  const lines = answer.answer.split("\n").map((line) => {
    const prefix = /^(?:\s*(?:[-*•]|\d+[.)])\s+)?/.exec(line)?.[0] ?? "";
    let rest = line.slice(prefix.length);
    if (rest.startsWith("### ") || !/\[\d+\]/.test(rest)) return line;
    let output = "";
    let last = 0;
    for (const match of rest.matchAll(markerRun)) {
      const at = match.index ?? 0;
      const segment = rest.slice(last, at);
      const numbers = [...match[0].matchAll(/\[(\d+)\]/g)].map((found) => Number(found[1]));
      const cited = numbers.map((n) => byNumber.get(n)).filter((citation): citation is Citation => citation !== undefined);
      const voices = [...new Set(cited.map((citation) => citation.file))];
      const speaker = voices.length === 1 && cited[0] ? speakerOf(cited[0]) : null;
      const found = speaker ? verbatimTail(segment, cited.map((citation) => citation.quote)) : null;
      const leading = /^\s*/.exec(segment)?.[0] ?? "";
      const afterLabel = found !== null && /[:;]\s*$/.test(found.lead);
      const reworded = found && speaker ? attribute(found.sentence, speaker, addressee !== undefined, afterLabel) : null;
      output += reworded !== null && found ? `${found.lead.length > 0 ? found.lead : leading}${reworded}` : segment;
      output += match[0];
      last = at + match[0].length;
    }
    rest = output + rest.slice(last);
    return prefix + rest;
  });
  const text = lines.join("\n");
  return text === answer.answer ? answer : { ...answer, answer: text };
}
